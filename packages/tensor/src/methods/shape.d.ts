import type { IndexSpec } from '../ops/indexing.js';
declare module '../tensor.js' {
    interface Tensor {
        view(...shape: number[] | [readonly number[]]): Tensor;
        reshape(...shape: number[] | [readonly number[]]): Tensor;
        viewAs(other: Tensor): Tensor;
        reshapeAs(other: Tensor): Tensor;
        flatten(startDim?: number, endDim?: number): Tensor;
        expand(...sizes: number[] | [readonly number[]]): Tensor;
        expandAs(other: Tensor): Tensor;
        permute(...dims: number[] | [readonly number[]]): Tensor;
        transpose(dim0: number, dim1: number): Tensor;
        t(): Tensor;
        /** `x.T`: all dims reversed. */
        readonly T: Tensor;
        unsqueeze(dim: number): Tensor;
        squeeze(dim?: number): Tensor;
        /** Basic indexing, as Python's `x[0, 1:3, ::2]` written `x.index(0, '1:3', '::2')`. */
        index(...specs: IndexSpec[]): Tensor;
        slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
        narrow(dim: number, start: number, length: number): Tensor;
        select(dim: number, index: number): Tensor;
        contiguous(): Tensor;
        clone(): Tensor;
        gather(dim: number, index: Tensor): Tensor;
        scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
        indexSelect(dim: number, index: Tensor): Tensor;
    }
}
//# sourceMappingURL=shape.d.ts.map