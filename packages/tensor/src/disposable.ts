// `using t = torch.ones(2)` needs these symbols typed; declared here (as @types/node does) so a project whose `lib`
// lacks `esnext.disposable` still type-checks our declarations.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}

/**
 * The key of the method `using` calls. Node 20 and current browsers define `Symbol.dispose`; elsewhere this is the
 * registered symbol that TypeScript's and esbuild's `using` helpers fall back to, rather than a method named "undefined".
 */
export const DISPOSE: typeof Symbol.dispose = Symbol.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
