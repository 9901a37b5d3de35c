import { Linear } from './linear.js';

/**
 * `nn.Linear` under the name PyTorch gives MultiheadAttention's output projection
 * (`torch.nn.modules.linear.NonDynamicallyQuantizableLinear`), so the attention module prints as PyTorch's does.
 * Quantization is what the name is about in PyTorch; here it is a plain Linear.
 */
export class NonDynamicallyQuantizableLinear extends Linear {}
