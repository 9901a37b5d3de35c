import type { GradNode, Tensor } from '@descent/tensor';

declare const console: { warn(message: string): void };

/**
 * PyTorch's anomaly detection: while it is on, every gradient a backward function returns is checked, and the
 * first with a NaN stops the backward with PyTorch's error naming the function and its output. Reading a gradient
 * needs the host: on a device that cannot be read synchronously (a GPU) the check is skipped, said once.
 */
let enabled = false;
let warnedDevice = false;

/** `torch.autograd.set_detect_anomaly(mode)`. */
export function setDetectAnomaly(mode: boolean): void {
  enabled = mode;
}

/** `torch.is_anomaly_enabled()`. */
export function isAnomalyEnabled(): boolean {
  return enabled;
}

/** `with torch.autograd.detect_anomaly(): ...` as `torch.autograd.detectAnomaly(() => ...)`: on while `fn` runs. */
export function detectAnomaly<T>(fn: () => T): T {
  console.warn('UserWarning: Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.');
  const before = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = before;
  }
}

function hasNaN(grad: Tensor): boolean {
  if (grad.device.type !== 'cpu') {
    if (!warnedDevice) console.warn(`UserWarning: anomaly detection reads gradients on the host: those on '${grad.device.type}' are not checked`);
    warnedDevice = true;
    return false;
  }
  return Boolean(grad.isnan().any().item());
}

/** Throws PyTorch's error for the first of `node`'s returned gradients holding a NaN (anomaly mode only). */
export function checkReturnedGradients(node: GradNode, grads: readonly (Tensor | null)[]): void {
  if (!enabled) return;
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (g && g.dtype !== 'bool' && hasNaN(g)) {
      console.warn(`UserWarning: Error detected in ${node.name()}.`);
      throw new Error(`Function '${node.name()}' returned nan values in its ${i}th output.`);
    }
  }
}
