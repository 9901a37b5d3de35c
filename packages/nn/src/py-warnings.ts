// The host's console (Node and browsers); the build's `lib` leaves it out.
declare const console: { warn(message: string): void };

const shown = new Set<string>();

/**
 * Python's `warnings.warn(message)` (a UserWarning): shown once, as Python's default filter shows a warning once
 * per call site, so a training loop does not repeat it every step.
 */
export function warnOnce(message: string): void {
  if (shown.has(message)) return;
  shown.add(message);
  console.warn(`UserWarning: ${message}`);
}
