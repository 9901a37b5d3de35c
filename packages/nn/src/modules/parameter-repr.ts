import type { Tensor } from '@descent/tensor';
import { Parameter } from '../parameter.js';

// How ParameterList and ParameterDict print their entries: PyTorch 1.13 names the dtype as `torch.float32` in the
// list and by its legacy tensor type (`torch.FloatTensor`) in the dict.

const TYPE_NAMES: Record<string, string> = {
  float32: 'FloatTensor',
  float64: 'DoubleTensor',
  int64: 'LongTensor',
  int32: 'IntTensor',
  int16: 'ShortTensor',
  int8: 'CharTensor',
  uint8: 'ByteTensor',
  bool: 'BoolTensor',
};

/** `  (key): Parameter containing: [torch.float32 of size 3x4]`, one line of the container's extra_repr. */
export function parameterLine(key: string, p: Tensor, style: 'list' | 'dict'): string {
  const kind = p instanceof Parameter ? 'Parameter' : 'Tensor';
  const type = style === 'list' ? `torch.${p.dtype}` : `torch.${TYPE_NAMES[p.dtype] ?? p.dtype}`;
  return `  (${key}): ${kind} containing: [${type} of size ${p.shape.join('x')}]`;
}

/** A tensor stored in a parameter container becomes a Parameter, as PyTorch 1.13 does. */
export function asParameter(value: Tensor): Parameter {
  return value instanceof Parameter ? value : new Parameter(value);
}
