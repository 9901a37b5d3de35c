/** Whether ops record the autograd graph (PyTorch's grad mode). A module-level flag: JS runs one op at a time. */
export const gradMode = { enabled: true };

export function isGradEnabled(): boolean {
  return gradMode.enabled;
}

export function setGradEnabled(enabled: boolean): void {
  gradMode.enabled = enabled;
}

/**
 * Runs `fn` without recording gradients, as `with torch.no_grad():`. `fn` must be synchronous: grad mode is
 * restored when it returns, so work after an `await` inside it would record again.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradMode.enabled;
  gradMode.enabled = false;
  try {
    return fn();
  } finally {
    gradMode.enabled = previous;
  }
}

/** Runs `fn` with gradient recording on, even inside `noGrad`, as `with torch.enable_grad():`. */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradMode.enabled;
  gradMode.enabled = true;
  try {
    return fn();
  } finally {
    gradMode.enabled = previous;
  }
}
