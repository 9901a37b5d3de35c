import type { ParamsInput } from './optimizer.js';
import type { AdamHyperparameters } from './adam-update.js';
import { ADAM_KEYS, Adam } from './adam.js';
import { optimizerOptions } from './options.js';

export type AdamWOptions = Partial<AdamHyperparameters>;

/**
 * Adam with decoupled weight decay (the parameter shrinks by `1 - lr * weightDecay` each step), as
 * `torch.optim.AdamW` (PyTorch 1.13's single-tensor algorithm). Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weightDecay 1e-2.
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamHyperparameters>, lrOrOptions?: number | AdamWOptions, options?: Omit<AdamWOptions, 'lr'>) {
    // Checked here first, so that errors name AdamW as PyTorch's do.
    const given = optimizerOptions<AdamWOptions>('AdamW', lrOrOptions, options, ADAM_KEYS);
    super(params, { ...given, weightDecay: given.weightDecay ?? 1e-2 });
  }

  protected override get decoupled(): boolean {
    return true;
  }
}
