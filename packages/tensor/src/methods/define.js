import { Tensor } from '../tensor.js';
/**
 * Adds op methods to `Tensor.prototype`, non-enumerable as class methods are. Each `methods/*.ts` file declares
 * its methods on the class (`declare module '../tensor.js'`) and installs them here, so the type and the
 * implementation of every method are checked against each other.
 */
export function defineMethods(methods) {
    for (const name of Object.keys(methods)) {
        Object.defineProperty(Tensor.prototype, name, {
            value: methods[name],
            writable: true,
            configurable: true,
            enumerable: false,
        });
    }
}
/** `view(2, 3)` and `view([2, 3])` both give `[2, 3]`. */
export function flatArgs(args) {
    return args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
}
//# sourceMappingURL=define.js.map