import type { Operand } from '@descent/backend';
import type { GpuBuffer } from '../memory.js';
import { matmulShader, type MatmulStore } from './matmul.js';
import { chooseMatmulConfig, matmulTile, minMatmulWorkgroups, TILED_CONFIGS } from './matmul-config.js';
import { tiledMatmulShader } from './matmul-tiled.js';

/** One dispatch of a matmul: its workgroups, and the first tile (x, y, z) they compute. */
export interface MatmulLaunch {
  readonly origin: [number, number, number];
  readonly workgroups: [number, number, number];
}

/**
 * How [batch, m, k] @ [batch, k, n] runs: the kernel (its configuration and tile load order, named by `key`), its
 * shader for a store step (the plain one, or a fused cluster's: ../fusion/epilogue.ts), and its dispatches.
 */
export interface MatmulPlan {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly key: string;
  shader(store?: MatmulStore): string;
  /** One dispatch per block of at most `maxWorkgroups` tiles along each axis (one in all but huge outputs). */
  readonly launches: readonly MatmulLaunch[];
}

/** What the plan needs of the device: its workgroups per dimension, and the fewest a matmul should be given. */
export interface MatmulGrid {
  readonly maxWorkgroups: number;
  readonly minWorkgroups: number;
}

/** The grid of `device`: its limit, and the fewest workgroups for its kind (a GPU, or a software adapter). */
export function matmulGridOf(device: GPUDevice): MatmulGrid {
  const software = device.adapterInfo?.isFallbackAdapter === true;
  return { maxWorkgroups: device.limits.maxComputeWorkgroupsPerDimension, minWorkgroups: minMatmulWorkgroups(software) };
}

export function planMatmul(a: Operand<GpuBuffer>, b: Operand<GpuBuffer>, grid: MatmulGrid): MatmulPlan {
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const dtype = a.dtype;
  const config = chooseMatmulConfig(dtype, batch, m, n, k, grid.minWorkgroups);
  const [tileM, tileN] = matmulTile(config);
  let key = `matmul:${dtype}`;
  let shader = (store?: MatmulStore): string => matmulShader(dtype, store);
  if (config !== 'simple') {
    // The tile load order follows the operands' layout: a transposed B (`x @ w.t()`) is read along k.
    const layout = { aKFast: a.view.strides[2] === 1 || a.view.strides[1] !== 1, bNFast: b.view.strides[2] === 1 || b.view.strides[1] !== 1 };
    key = `matmul:${dtype}:${config}:${layout.aKFast}:${layout.bNFast}`;
    shader = (store) => tiledMatmulShader(dtype, TILED_CONFIGS[config], layout, store);
  }
  const tiles = [Math.ceil(n / tileN), Math.ceil(m / tileM), batch];
  const step = grid.maxWorkgroups;
  const launches: MatmulLaunch[] = [];
  for (let z = 0; z < tiles[2]; z += step) {
    for (let y = 0; y < tiles[1]; y += step) {
      for (let x = 0; x < tiles[0]; x += step) {
        launches.push({ origin: [x, y, z], workgroups: [Math.min(step, tiles[0] - x), Math.min(step, tiles[1] - y), Math.min(step, tiles[2] - z)] });
      }
    }
  }
  return { m, n, k, key, shader, launches };
}
