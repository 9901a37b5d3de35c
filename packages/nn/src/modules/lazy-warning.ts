import { warnOnce } from '../py-warnings.js';

/** PyTorch 1.13's LazyModuleMixin warns once when a lazy module is built; Descent's lazy modules do too. */
export function warnLazyModule(): void {
  warnOnce('Lazy modules are a new feature under heavy development so changes to the API or functionality can happen at any moment.');
}
