import type { Tensor } from '../tensor.js';

/**
 * How PyTorch prints a `torch.return_types.<op>` named tuple (`print(torch.max(x, 1))`, `print(torch.aminmax(x))`):
 * the type, then each field as `name=tensor(...)` on lines of their own.
 */
export function returnTypeRepr(op: string, fields: Record<string, Tensor>): string {
  const lines = Object.entries(fields).map(([name, value]) => `${name}=${value.toString()}`);
  return `torch.return_types.${op}(\n${lines.join(',\n')})`;
}

/** The key through which `console.log` (Node's `util.inspect`) asks an object for its printing. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');
