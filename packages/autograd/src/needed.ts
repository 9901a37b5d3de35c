import type { GradNode } from '@descent/tensor';

/**
 * The nodes `autograd.grad` must run: those with an edge to a captured node or to another needed node, as PyTorch's
 * `exec_info_[node].needed_`. A captured node that leads to no other captured node only captures its gradient: its
 * hooks, its retained gradient and its rule do not run, and neither do nodes that lead to no captured node.
 */
export function neededNodes(roots: readonly GradNode[], captured: ReadonlyMap<GradNode, unknown>): Set<GradNode> {
  // Every reachable node with the nodes that point to it, then a walk back from the captured ones.
  const consumers = new Map<GradNode, GradNode[]>();
  const stack = [...roots];
  for (const root of roots) consumers.set(root, []);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const child of node.next) {
      if (!child) continue;
      let into = consumers.get(child);
      if (!into) {
        into = [];
        consumers.set(child, into);
        stack.push(child);
      }
      into.push(node);
    }
  }
  const needed = new Set<GradNode>();
  const walk = [...captured.keys()];
  for (let node = walk.pop(); node !== undefined; node = walk.pop()) {
    for (const consumer of consumers.get(node) ?? []) {
      if (needed.has(consumer)) continue;
      needed.add(consumer);
      walk.push(consumer);
    }
  }
  return needed;
}
