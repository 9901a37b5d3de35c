/**
 * Module resolve hook for tfjs-core's ES module build, whose relative imports omit the `.js` extension
 * (written for bundlers, which Node's ESM loader does not emulate). Adds the extension for those imports only.
 * Needed because tfjs-core's Node bundle does not register the gradient functions: `@tensorflow/tfjs` does that
 * by importing `dist/register_all_gradients.js`, which we load the same way.
 */
export async function resolve(specifier, context, nextResolve) {
  const fromTfjs = context.parentURL?.includes('/@tensorflow/tfjs-core/dist/');
  if (fromTfjs && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try {
      return await nextResolve(`${specifier}.js`, context);
    } catch {
      return nextResolve(`${specifier}/index.js`, context);
    }
  }
  return nextResolve(specifier, context);
}
