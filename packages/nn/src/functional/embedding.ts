import { bindArgs, presentAs, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { valuesIfReadable } from './checks.js';

/**
 * Rows of `weight` picked by integer `input`, shaped `[...input.shape, embeddingDim]`, as `F.embedding`.
 * The row at `paddingIdx` receives no gradient.
 */
export function embedding(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<[paddingIdx: number | null], { paddingIdx?: number | null }>): Tensor {
  const paddingIdx = bindArgs<{ paddingIdx?: number | null }>({ fn: 'embedding', required: 2, positional: ['paddingIdx'] }, args).paddingIdx ?? null;
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new TypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype} instead (while checking arguments for embedding)`,
    );
  }
  const rows = weight.shape[0];
  const values = valuesIfReadable(input);
  if (values) for (const i of values) if (i < 0 || i >= rows) throw new RangeError('index out of range in self');
  const flat = input.reshape([-1]).long();
  let out = weight.indexSelect(0, flat).reshape([...input.shape, weight.shape[1]]);
  if (paddingIdx !== null && out.requiresGrad) {
    const index = paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
    out = where(input.eq(index).unsqueeze(-1), out.detach(), out);
  }
  return presentAs(out, 'EmbeddingBackward0', [weight]);
}
