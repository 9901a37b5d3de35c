import type { DType } from '@descent/backend';
import { MATMUL_TILE } from './matmul.js';
import type { TiledConfig } from './matmul-tiled.js';

/**
 * Which matmul kernel a shape runs: `simple` is ./matmul.ts (scalar workgroup reads, every dtype, int64 included),
 * the others ./matmul-tiled.ts. The choice is a rule per shape class, not timed at dispatch: dispatchers encode
 * synchronously, so a timing could only come from an earlier, awaited run, and on lavapipe (the 2-core CI
 * machine) timings of one dispatch swing by 2x with the machine's other load. The rule comes from
 * `scripts/tune-matmul.mjs`, which times every configuration per shape class on the adapter at hand.
 */
export type MatmulConfigName = 'simple' | 'tile32x32' | 'tile64x64' | 'tile64x64x8' | 'tile128x64' | 'tile128x128';

export const TILED_CONFIGS: Readonly<Record<Exclude<MatmulConfigName, 'simple'>, TiledConfig>> = {
  // 64 threads, 4x4 each: small outputs get 4x the workgroups of a 64x64 tile.
  tile32x32: { name: 'tile32x32', tileM: 32, tileN: 32, rows: 4, cols: 4 },
  // 256 threads, 4x4 each (the shape of the 31.5 TFLOP/s H100 probe, with vec4 workgroup reads).
  tile64x64: { name: 'tile64x64', tileM: 64, tileN: 64, rows: 4, cols: 4 },
  // 128 threads, 8x4 each: two vec4s of A and one of B feed 32 multiply-adds.
  tile64x64x8: { name: 'tile64x64x8', tileM: 64, tileN: 64, rows: 8, cols: 4 },
  // 128 threads, 8x8 each: half the 128x128 tile, twice the workgroups.
  tile128x64: { name: 'tile128x64', tileM: 128, tileN: 64, rows: 8, cols: 8 },
  // 256 threads, 8x8 each: the large-output shape of the 33.6 TFLOP/s H100 probe.
  tile128x128: { name: 'tile128x128', tileM: 128, tileN: 128, rows: 8, cols: 8 },
};

export const MATMUL_CONFIGS: readonly MatmulConfigName[] = ['simple', ...(Object.keys(TILED_CONFIGS) as MatmulConfigName[])];

let forced: MatmulConfigName | null = null;

/** Runs every later matmul with one configuration (tests, the tuner); `null` restores the rule. */
export function forceMatmulConfig(name: MatmulConfigName | null): void {
  forced = name;
}

/** The output tile of a configuration (the dispatcher's workgroup grid). */
export function matmulTile(name: MatmulConfigName): [number, number] {
  if (name === 'simple') return [MATMUL_TILE, MATMUL_TILE];
  const c = TILED_CONFIGS[name];
  return [c.tileM, c.tileN];
}

/** Whether the tiled kernels compute this dtype: not int64 (64-bit emulated sums) nor bool. */
export const tiledDType = (dtype: DType): boolean => dtype !== 'int64' && dtype !== 'bool';

/**
 * The configuration for [batch, m, k] @ [batch, k, n], taking the largest tile that still gives `minWorkgroups`
 * workgroups (`minMatmulWorkgroups`). A forced tiled configuration still yields to `simple` for dtypes it cannot
 * compute.
 */
export function chooseMatmulConfig(dtype: DType, batch: number, m: number, n: number, k: number, minWorkgroups: number): MatmulConfigName {
  if (!tiledDType(dtype)) return 'simple';
  if (forced !== null) return forced;
  void k; // the rule so far depends on the output only
  return ruleFor(batch, m, n, minWorkgroups);
}

/**
 * Measured on lavapipe (scripts/tune-matmul.mjs, GFLOP per worker CPU second, 2-core VM, 128x784x256 to 1024^3):
 * 8x8 blocks beat smaller ones at every size (128x128: 5.1-7.2, 128x64: 5.1-6.0, 64x64 8x4: 3.9-4.0, 64x64 4x4:
 * 3.8-4.3, 32x32 4x4: 3.4-3.9, simple: 2.6-3.2), since each vec4 read from workgroup memory feeds more
 * multiply-adds. A GPU also needs enough workgroups to fill its cores, which the dispatcher cannot ask the adapter
 * about, so the largest tile is taken that still gives 32 of them.
 *
 * A software adapter (`isFallbackAdapter`: lavapipe, SwiftShader) runs workgroups on a few CPU threads, so a few
 * workgroups fill it: with 32 the MLP's products (128x256 outputs) ran on 4x4 blocks at 2.3-3.0 GFLOP/s instead
 * of 5.2-7.1 on 8x8 ones (lavapipe, 2-core AMD EPYC, 2026-12-08).
 */
export function minMatmulWorkgroups(softwareAdapter: boolean): number {
  return softwareAdapter ? 4 : 32;
}

const BY_SIZE: readonly MatmulConfigName[] = ['tile128x128', 'tile128x64', 'tile64x64x8'];

function ruleFor(batch: number, m: number, n: number, minWorkgroups: number): MatmulConfigName {
  // Vectors (a dot product, a matrix-vector product): most of a 4-row block would be padding.
  if (m < 4 || n < 4) return 'simple';
  for (const name of BY_SIZE) {
    const [tm, tn] = matmulTile(name);
    if (batch * Math.ceil(m / tm) * Math.ceil(n / tn) >= minWorkgroups) return name;
  }
  return 'tile32x32';
}
