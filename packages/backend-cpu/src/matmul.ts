import { hostArray, type HostArray, type Operand } from '@descent/backend';

/**
 * Batched matmul straight from strided views: [batch, m, k] x [batch, k, n]. Each output row accumulates in
 * double precision (i-k-j order streams rows of `b`), then rounds once on store.
 */
export function matmulStrided(a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const [aBatch, aRow, aCol] = a.view.strides;
  const [bBatch, bRow, bCol] = b.view.strides;
  const A = a.buffer;
  const B = b.buffer;
  const out = hostArray(a.dtype, batch * m * n);
  const acc = new Float64Array(n);
  for (let p = 0; p < batch; p++) {
    const aBase = a.view.offset + p * aBatch;
    const bBase = b.view.offset + p * bBatch;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const aRowBase = aBase + i * aRow;
      for (let q = 0; q < k; q++) {
        const aiq = A[aRowBase + q * aCol];
        if (aiq === 0) continue;
        let bp = bBase + q * bRow;
        for (let j = 0; j < n; j++, bp += bCol) acc[j] += aiq * B[bp];
      }
      const o = (p * m + i) * n;
      for (let j = 0; j < n; j++) out[o + j] = acc[j];
    }
  }
  return out;
}
