// The packages compile against plain ES2022 (no DOM or Node types); every JS host has a console.
declare const console: { warn(message: string): void; log(message: string): void };

/** A PyTorch-style UserWarning. */
export function warn(message: string): void {
  console.warn(`UserWarning: ${message}`);
}

/** A `verbose=True` message. */
export function info(message: string): void {
  console.log(message);
}

/** A number as Python's `'{:.4e}'.format(x)` writes it: 1.0000e-01. */
export function formatExp4(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}
