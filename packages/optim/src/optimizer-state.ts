import { keep, type Tensor } from '@descent/tensor';

/**
 * `optimizer.state`: each parameter's state (momentum buffers, moments, step counts), keyed by the parameter. Storing
 * state in an optimizer keeps it (as `torch.keep`): an enclosing `torch.scope()`, such as one around a training
 * step, never disposes it. `set()` keeps the tensors of the entry it stores; `keepAll()`, which `step()` calls, keeps
 * those an update added to an entry in place (`state.maxExpAvgSq ??= zeros(...)`).
 */
export class OptimizerState<S> extends Map<Tensor, S> {
  override set(param: Tensor, state: S): this {
    keep(state);
    return super.set(param, state);
  }

  /** Keeps every tensor in every entry. */
  keepAll(): void {
    keep(this);
  }
}
