import type { RunContext } from '../../run-context.js';
import { builtinModel } from './builtin-model.js';
import type { BuiltinModelOptions } from './defaults.js';
import { manualModel, type ManualModelOptions } from './manual-model.js';

export interface CropYieldsOptions {
  manual: ManualModelOptions;
  builtin: BuiltinModelOptions;
  /** Run one half only. */
  only?: 'manual' | 'builtin';
}

/** Seed notebooks 000, 003 and 004: predict apple and orange yields from the weather, by hand and with built-ins. */
export async function cropYields(context: RunContext, options: CropYieldsOptions): Promise<void> {
  if (options.only !== 'builtin') await manualModel(context, options.manual);
  if (options.only === undefined) context.reporter.print();
  if (options.only !== 'manual') await builtinModel(context, options.builtin);
}
