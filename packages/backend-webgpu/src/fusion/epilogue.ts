/**
 * The kernel of a cluster whose values start from a pending matmul (./fusion.ts decides when): `relu(x @ w.t() + b)`
 * is one kernel. The matmul kernel computes its tile as it always does; its store step then runs the cluster's code
 * (./fused-kernel.ts) on each product element instead of writing it, and writes the cluster's stores through their
 * views (the product too, where the tensor layer still holds it). Values are the unfused kernels': the element is
 * the one the plain kernel would store, and the ops are the same WGSL functions.
 *
 * Bindings: 1 the first store, 2 and 3 the matmul's A and B (as in the plain kernel), then the other stores and
 * the cluster's reads. Parameters: the matmul's, then the cluster's.
 */

import { numelOf, type Operand } from '@descent/backend';
import { matmulParams, type MatmulStore } from '../kernels/matmul.js';
import { planMatmul, type MatmulGrid, type MatmulLaunch } from '../kernels/matmul-plan.js';
import { paramTable, tablesBy } from '../kernels/params.js';
import type { GpuBuffer } from '../memory.js';
import { WGSL_TYPE } from '../wgsl-types.js';
import { clusterCode, fusedParams, type FusedKernel, type Store } from './fused-kernel.js';
import type { LazyNode } from './lazy-node.js';

const epilogueParams = tablesBy((rank: number, count: number, consts: number) =>
  paramTable(...matmulParams.fields, ...fusedParams(rank, count, consts).fields),
);

/** Parameter words a cluster's kernel takes on top of the elementwise kernel's when it has a matmul. */
export const MATMUL_WORDS = matmulParams.size;

/** The operands of a pending matmul: [batch, m, k] and [batch, k, n] views. */
export function productOperands(product: LazyNode): [Operand<GpuBuffer>, Operand<GpuBuffer>] {
  const [a, b] = product.inputs.map((input) => (input as { leaf: Operand<GpuBuffer> }).leaf);
  return [a, b];
}

/** The kernel computing `cluster` (inputs before users), whose one pending matmul is `product`, and writing `stores`. */
export function productKernel(cluster: readonly LazyNode[], stores: readonly Store[], product: LazyNode, grid: MatmulGrid): FusedKernel {
  const [a, b] = productOperands(product);
  const plan = planMatmul(a, b, grid);
  const matmul = (launch: MatmulLaunch) => ({ m: plan.m, n: plan.n, k: plan.k, aView: a.view, bView: b.view, origin: launch.origin });
  if (cluster.length === 1) {
    // The product alone, into its own buffer: the plain kernel.
    const dispatches = plan.launches.map((l) => ({ params: matmulParams.pack(matmul(l)), workgroups: l.workgroups }));
    return { key: plan.key, source: () => plan.shader(), operands: [stores[0].buffer, a.buffer, b.buffer], dispatches, label: 'matmul' };
  }
  const code = clusterCode(cluster, stores);
  const table = epilogueParams(code.shape.length, code.views.length, code.consts.length);
  const store: MatmulStore = {
    declarations: `${table.wgsl}
${code.declarations((j) => (j === 0 ? 1 : j + 3), false)}
fn epilogue(i: u32, acc: ${WGSL_TYPE[product.dtype]}) {
${code.body(false)}
}`,
    store: (index, value) => `epilogue(${index}, ${value});`,
    looped: true,
  };
  const fused = { numel: numelOf(code.shape), shape: code.shape, views: code.views, consts: code.consts };
  return {
    key: `epilogue:${plan.key}:${code.key}`,
    source: () => plan.shader(store),
    operands: [code.operands[0], a.buffer, b.buffer, ...code.operands.slice(1)],
    dispatches: plan.launches.map((l) => ({ params: table.pack({ ...matmul(l), ...fused }), workgroups: l.workgroups })),
    label: code.label,
  };
}
