import type { Dims, ReduceOptions, ValuesIndices, VarOptions } from '../ops/reduction.js';
declare module '../tensor.js' {
    interface Tensor {
        sum(dim?: Dims, options?: ReduceOptions): Tensor;
        mean(dim?: Dims, options?: ReduceOptions): Tensor;
        prod(dim?: number, options?: ReduceOptions): Tensor;
        var(dim?: Dims, options?: VarOptions): Tensor;
        std(dim?: Dims, options?: VarOptions): Tensor;
        /** `x.max()` is the largest value; `x.max(dim)` gives `{values, indices}`; `x.max(other)` is `maximum`. */
        max(): Tensor;
        max(dim: number, options?: ReduceOptions): ValuesIndices;
        max(other: Tensor): Tensor;
        min(): Tensor;
        min(dim: number, options?: ReduceOptions): ValuesIndices;
        min(other: Tensor): Tensor;
        amax(dim?: Dims, options?: ReduceOptions): Tensor;
        amin(dim?: Dims, options?: ReduceOptions): Tensor;
        argmax(dim?: number, options?: ReduceOptions): Tensor;
        argmin(dim?: number, options?: ReduceOptions): Tensor;
        matmul(other: Tensor): Tensor;
        mm(other: Tensor): Tensor;
        bmm(other: Tensor): Tensor;
    }
}
//# sourceMappingURL=reductions.d.ts.map