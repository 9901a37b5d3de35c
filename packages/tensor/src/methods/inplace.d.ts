import type { GeneratorOption } from '../ops/inplace.js';
import type { TensorLike } from '../ops/scalar.js';
import type { AlphaOptions } from './math.js';
declare module '../tensor.js' {
    interface Tensor {
        add_(other: TensorLike, options?: AlphaOptions): this;
        sub_(other: TensorLike, options?: AlphaOptions): this;
        mul_(other: TensorLike): this;
        div_(other: TensorLike): this;
        pow_(exponent: TensorLike): this;
        neg_(): this;
        exp_(): this;
        sqrt_(): this;
        relu_(): this;
        sigmoid_(): this;
        tanh_(): this;
        clamp_(min?: number | null, max?: number | null): this;
        /** Copies `src` (broadcast, converted to this dtype) into this tensor. */
        copy_(src: Tensor): this;
        fill_(value: number | boolean): this;
        zero_(): this;
        uniform_(from?: number, to?: number, options?: GeneratorOption): this;
        normal_(mean?: number, std?: number, options?: GeneratorOption): this;
        bernoulli_(p?: number, options?: GeneratorOption): this;
    }
}
//# sourceMappingURL=inplace.d.ts.map