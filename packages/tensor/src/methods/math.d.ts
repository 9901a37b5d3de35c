import type { TensorLike } from '../ops/scalar.js';
/** `x.add(y, { alpha })` as PyTorch's `x.add(y, alpha=...)`. */
export interface AlphaOptions {
    alpha?: number;
}
declare module '../tensor.js' {
    interface Tensor {
        add(other: TensorLike, options?: AlphaOptions): Tensor;
        sub(other: TensorLike, options?: AlphaOptions): Tensor;
        mul(other: TensorLike): Tensor;
        div(other: TensorLike): Tensor;
        pow(exponent: TensorLike): Tensor;
        maximum(other: Tensor): Tensor;
        minimum(other: Tensor): Tensor;
        neg(): Tensor;
        exp(): Tensor;
        log(): Tensor;
        sqrt(): Tensor;
        rsqrt(): Tensor;
        abs(): Tensor;
        sign(): Tensor;
        sin(): Tensor;
        cos(): Tensor;
        tanh(): Tensor;
        sigmoid(): Tensor;
        relu(): Tensor;
        reciprocal(): Tensor;
        erf(): Tensor;
        floor(): Tensor;
        ceil(): Tensor;
        round(): Tensor;
        clamp(min?: number | null, max?: number | null): Tensor;
        clip(min?: number | null, max?: number | null): Tensor;
        softmax(dim: number): Tensor;
        logSoftmax(dim: number): Tensor;
        eq(other: TensorLike): Tensor;
        ne(other: TensorLike): Tensor;
        lt(other: TensorLike): Tensor;
        le(other: TensorLike): Tensor;
        gt(other: TensorLike): Tensor;
        ge(other: TensorLike): Tensor;
        logicalNot(): Tensor;
        logicalAnd(other: TensorLike): Tensor;
        logicalOr(other: TensorLike): Tensor;
        /** `cond.where(x, y)` is not PyTorch's order; PyTorch's `x.where(cond, y)` is `where(cond, x, y)`. */
        where(condition: Tensor, other: TensorLike): Tensor;
    }
}
//# sourceMappingURL=math.d.ts.map