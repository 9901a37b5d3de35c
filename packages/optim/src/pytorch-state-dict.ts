/**
 * Optimizer state dicts in PyTorch's own layout: `{state, param_groups}` with snake_case names (`momentum_buffer`,
 * `weight_decay`, `initial_lr`), as Python's `optimizer.state_dict()` writes them. Descent's layout is the same with
 * camelCase names; these convert between the two, so a checkpoint moves between PyTorch and Descent either way.
 */
import type { OptimizerStateDict } from './optimizer.js';

/** An optimizer's state as Python's `optimizer.state_dict()` lays it out (what `torch.load` gives for a PyTorch file). */
export interface PyTorchOptimizerStateDict {
  state: object;
  param_groups: object[];
}

/** PyTorch's implementation switches (which kernel runs), with no meaning for Descent's optimizers. */
const PYTHON_ONLY_SWITCHES = new Set(['foreach', 'differentiable', 'capturable', 'fused']);

/** Marks the dicts `optimizer.stateDict()` returns, so `torch.save` knows to write PyTorch's layout. */
const OPTIMIZER_STATE_DICT = Symbol('descent.optimizerStateDict');

/** PyTorch names that do not follow snake_case, by their camelCase form (LBFGS's `H_diag`). */
const SNAKE_EXCEPTIONS: Record<string, string> = { HDiag: 'H_diag' };

const toSnake = (key: string) => SNAKE_EXCEPTIONS[key] ?? key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

function renameKeys(record: object, rename: (key: string) => string, drop?: Set<string>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!drop?.has(key)) renamed[rename(key)] = value;
  return renamed;
}

function renameState(state: object, rename: (key: string) => string): Record<string, Record<string, unknown>> {
  const renamed: Record<string, Record<string, unknown>> = {};
  const entries = state instanceof Map ? [...(state as Map<unknown, object>)] : Object.entries(state);
  for (const [index, paramState] of entries) renamed[String(index)] = renameKeys(paramState as object, rename);
  return renamed;
}

/** Brands a dict made by `optimizer.stateDict()` (a hidden mark: it changes neither its keys nor its JSON). */
export function markOptimizerStateDict<T extends object>(stateDict: T): T {
  Object.defineProperty(stateDict, OPTIMIZER_STATE_DICT, { value: true });
  return stateDict;
}

/** Whether `value` came from `optimizer.stateDict()`. */
export function isOptimizerStateDict(value: unknown): value is OptimizerStateDict<object, object> {
  return typeof value === 'object' && value !== null && OPTIMIZER_STATE_DICT in value;
}

/** Whether `value` has PyTorch's layout (`param_groups`), as `torch.load` returns a Python optimizer's state. */
export function isPyTorchOptimizerStateDict(value: unknown): value is PyTorchOptimizerStateDict {
  if (typeof value !== 'object' || value === null) return false;
  const { state, param_groups: groups } = value as { state?: unknown; param_groups?: unknown };
  return typeof state === 'object' && state !== null && Array.isArray(groups);
}

/**
 * Descent's `optimizer.stateDict()` in PyTorch's layout, which Python's `optimizer.load_state_dict()` accepts. `state`
 * is a Map keyed by integers: `torch.save` writes them as Python ints, which is how PyTorch matches state to params.
 */
export function toPyTorchStateDict(stateDict: OptimizerStateDict<object, object>): {
  state: Map<number, Record<string, unknown>>;
  param_groups: Record<string, unknown>[];
} {
  const state = new Map(Object.entries(renameState(stateDict.state, toSnake)).map(([index, paramState]) => [Number(index), paramState]));
  return { state, param_groups: stateDict.paramGroups.map((group) => renameKeys(group, toSnake)) };
}

/** A state dict in PyTorch's layout, in Descent's (PyTorch's implementation switches such as `foreach` dropped). */
export function fromPyTorchStateDict(stateDict: PyTorchOptimizerStateDict): OptimizerStateDict {
  return {
    state: renameState(stateDict.state, toCamel),
    paramGroups: stateDict.param_groups.map((group) => renameKeys(group, toCamel, PYTHON_ONLY_SWITCHES)),
  } as OptimizerStateDict;
}
