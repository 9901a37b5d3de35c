import { Tensor } from '../tensor.js';
/**
 * Adds op methods to `Tensor.prototype`, non-enumerable as class methods are. Each `methods/*.ts` file declares
 * its methods on the class (`declare module '../tensor.js'`) and installs them here, so the type and the
 * implementation of every method are checked against each other.
 */
export declare function defineMethods(methods: Partial<Tensor> & ThisType<Tensor>): void;
/** `view(2, 3)` and `view([2, 3])` both give `[2, 3]`. */
export declare function flatArgs(args: number[] | [readonly number[]]): readonly number[];
//# sourceMappingURL=define.d.ts.map