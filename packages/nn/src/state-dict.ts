import { noGrad, Tensor } from '@descent/tensor';
import type { Module } from './module.js';
import { pySize, pyTypeName } from './python-repr.js';

/** Parameters and persistent buffers by dotted name, as PyTorch's `state_dict()` (an ordered mapping). */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` accepts: a plain object or a Map from names to tensors. */
export type StateDictLike = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

/** The keys a non-strict load skipped, as PyTorch's `_IncompatibleKeys`. */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const pyList = (keys: readonly string[]): string => `[${keys.map((k) => `'${k}'`).join(', ')}]`;

/** What `loadStateDict` returns: the two lists, printing as PyTorch's (`<All keys matched successfully>` when empty). */
class IncompatibleKeysResult implements IncompatibleKeys {
  constructor(
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
  ) {}

  toString(): string {
    if (this.missingKeys.length === 0 && this.unexpectedKeys.length === 0) return '<All keys matched successfully>';
    return `_IncompatibleKeys(missing_keys=${pyList(this.missingKeys)}, unexpected_keys=${pyList(this.unexpectedKeys)})`;
  }

  /** `console.log(model.loadStateDict(...))` prints what a notebook shows after `model.load_state_dict(...)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * One `loadStateDict` call: the keys that are missing or unexpected, the errors found so far, and the copies to
 * run once every module has been checked (so a failed load changes nothing).
 */
export class LoadContext {
  readonly missingKeys: string[] = [];
  readonly unexpectedKeys: string[] = [];
  readonly errors: string[] = [];
  private readonly copies: [Tensor, Tensor][] = [];

  /** A private copy of the caller's state dict: modules may add defaults to it (BatchNorm does). */
  constructor(readonly stateDict: Map<string, unknown>) {}

  /** PyTorch's `_load_from_state_dict`: checks `module`'s own parameters and persistent buffers under `prefix`. */
  loadOwnState(module: Module, prefix: string): void {
    const local: [string, Tensor][] = [
      ...module._ownParameters(),
      ...module._ownBuffers().filter(([, , persistent]) => persistent).map(([name, t]): [string, Tensor] => [name, t]),
    ];
    for (const [name, target] of local) {
      const key = prefix + name;
      if (!this.stateDict.has(key)) {
        this.missingKeys.push(key);
        continue;
      }
      const value = this.stateDict.get(key);
      if (!(value instanceof Tensor)) {
        this.errors.push(
          `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyTypeName(value)}`,
        );
        continue;
      }
      let source: Tensor = value;
      // PyTorch's backward compatibility with checkpoints that stored scalars as 1-element vectors.
      if (target.ndim === 0 && source.ndim === 1 && source.shape[0] > 0) source = source.select(0, 0);
      if (source.shape.join() !== target.shape.join() || source.ndim !== target.ndim) {
        this.errors.push(
          `size mismatch for ${key}: copying a param with shape ${pySize(source.shape)} from checkpoint, ` +
            `the shape in current model is ${pySize(target.shape)}.`,
        );
        continue;
      }
      this.copies.push([target, source]);
    }
    const known = new Set([...local.map(([name]) => name), ...module._ownModules().map(([name]) => name)]);
    for (const key of this.stateDict.keys()) {
      if (!key.startsWith(prefix)) continue;
      const head = key.slice(prefix.length).split('.', 1)[0];
      if (!known.has(head)) this.unexpectedKeys.push(key);
    }
  }

  /** Runs the queued copies, converting dtypes as PyTorch's `copy_` does. */
  commit(): void {
    noGrad(() => {
      for (const [target, source] of this.copies) target.copy_(source.dtype === target.dtype ? source : source.to(target.dtype));
    });
  }
}

function toMap(stateDict: StateDictLike): Map<string, unknown> {
  if (stateDict instanceof Map) return new Map(stateDict);
  if (stateDict === null || typeof stateDict !== 'object' || stateDict instanceof Tensor) {
    throw new TypeError(`Expected state_dict to be dict-like, got ${pyTypeName(stateDict)}.`);
  }
  return new Map(Object.entries(stateDict));
}

/** `module.load_state_dict(state_dict, strict)`, validating everything before copying anything. */
export function loadStateDict(module: Module, stateDict: StateDictLike, strict: boolean): IncompatibleKeys {
  const context = new LoadContext(toMap(stateDict));
  const visit = (m: Module, prefix: string): void => {
    m._loadFromStateDict(context, prefix);
    for (const [name, child] of m._ownModules()) visit(child, `${prefix}${name}.`);
  };
  visit(module, '');
  const errors = [...context.errors];
  const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
  if (strict && context.unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(context.unexpectedKeys)}. `);
  if (strict && context.missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${quoted(context.missingKeys)}. `);
  if (errors.length) throw new Error(`Error(s) in loading state_dict for ${module._getName()}:\n\t${errors.join('\n\t')}`);
  context.commit();
  return new IncompatibleKeysResult(context.missingKeys, context.unexpectedKeys);
}
