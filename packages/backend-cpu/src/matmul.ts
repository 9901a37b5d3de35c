import { hostArray, type HostArray, type Operand } from '@descent/backend';

/**
 * Batched matmul straight from strided views: [batch, m, k] x [batch, k, n]. Each output row accumulates in
 * double precision (i-k-j order streams rows of `b`), then rounds once on store.
 */
export function matmulStrided(a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
  if (a.dtype !== 'float32') return matmulInt(a, b);
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

/** int32 matmul wraps like int32 arithmetic at every step (a double accumulator would lose bits past 2^53). */
function matmulInt(a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const [aBatch, aRow, aCol] = a.view.strides;
  const [bBatch, bRow, bCol] = b.view.strides;
  const out = hostArray(a.dtype, batch * m * n);
  let o = 0;
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      const aBase = a.view.offset + p * aBatch + i * aRow;
      for (let j = 0; j < n; j++, o++) {
        const bBase = b.view.offset + p * bBatch + j * bCol;
        let acc = 0;
        for (let q = 0; q < k; q++) acc = (acc + Math.imul(a.buffer[aBase + q * aCol], b.buffer[bBase + q * bRow])) | 0;
        out[o] = acc;
      }
    }
  }
  return out;
}
