import type { ArgsThenOptions } from '@descent/tensor';
import type { ParamsInput } from './optimizer.js';
import type { AdamHyperparameters } from './adam-update.js';
import { ADAM_POSITIONAL, Adam, type AdamArgs, type AdamOptions } from './adam.js';
import { optimizerOptions } from './options.js';

export type AdamWOptions = AdamOptions;

/**
 * Adam with decoupled weight decay (the parameter shrinks by `1 - lr * weightDecay` each step), as
 * `torch.optim.AdamW` (PyTorch 1.13's single-tensor algorithm). Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weightDecay 1e-2.
 */
export class AdamW extends Adam {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { capturable: false, foreach: null };

  /** Adam's positional order: `new AdamW(params, 1e-3, [0.9, 0.999], 1e-8, 0.01)`. */
  constructor(params: ParamsInput<AdamHyperparameters>, ...args: ArgsThenOptions<AdamArgs, AdamWOptions>) {
    // Bound here first, so that errors name AdamW as PyTorch's do.
    const given = optimizerOptions<AdamWOptions>('AdamW', args, ADAM_POSITIONAL, ['maximize', 'foreach', 'capturable']);
    super(params, { ...given, weightDecay: given.weightDecay ?? 1e-2 });
  }

  protected override get decoupled(): boolean {
    return true;
  }
}
