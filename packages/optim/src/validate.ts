// Constructor checks with PyTorch's messages ("Invalid learning rate: -1").

export function checkNonNegative(what: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0)) throw new RangeError(`Invalid ${what}: ${value}`);
}

export function checkBetas(betas: readonly [number, number]): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new TypeError(`betas must be a pair [beta1, beta2], got ${String(betas)}`);
  }
  betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) throw new RangeError(`Invalid beta parameter at index ${i}: ${beta}`);
  });
}

/** The checks Adam, AdamW, Adamax, NAdam and RAdam share, in PyTorch's order (lr, eps, betas, weight_decay). */
export function checkAdamFamily(lr: number, eps: number, betas: readonly [number, number], weightDecay: number): void {
  checkNonNegative('learning rate', lr);
  checkNonNegative('epsilon value', eps);
  checkBetas(betas);
  checkNonNegative('weight_decay value', weightDecay);
}
