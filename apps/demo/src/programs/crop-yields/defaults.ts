/** Each part's settings as its notebook has them (kept apart from the models so `--help` loads no tensor code). */

export type ManualNotebook = '000' | '004';

export interface ManualModelSettings {
  seed: number;
  lr: number;
  epochs: number;
}

/** 000 ran unseeded; seed 0 is the one PyTorch's reference trace in notebooks.json uses. */
export const MANUAL_DEFAULTS: Record<ManualNotebook, ManualModelSettings> = {
  '004': { seed: 1337, lr: 1e-4, epochs: 100 },
  '000': { seed: 0, lr: 1e-5, epochs: 10_000 },
};

export interface BuiltinModelOptions {
  seed: number;
  batchSize: number;
  lr: number;
  epochs: number;
}

export const BUILTIN_DEFAULTS: BuiltinModelOptions = { seed: 0, batchSize: 5, lr: 1e-5, epochs: 100 };
