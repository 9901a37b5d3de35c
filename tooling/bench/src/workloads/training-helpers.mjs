/** What the training workloads (W6, W7) share: seeded inputs every framework gets alike, and the steps/s result. */

/** mulberry32: a small seeded generator, so every framework gets bit-identical float32 inputs. */
export function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Steps per second from a per-epoch timing (wall and CPU), with the loss after the last timed epoch. */
export function inStepsPerSecond(timing, steps) {
  return {
    value: steps / timing.seconds,
    cpu: steps / timing.cpuSeconds,
    samples: timing.samples.map((s) => steps / s),
    finalLoss: timing.result,
  };
}

/** Descent's epoch as a PyTorch user writes it: per batch zero_grad, cross-entropy, backward, step; the last loss. */
export function descentEpoch(torch, model, optimizer, batches) {
  let loss;
  for (const [xb, yb] of batches) {
    optimizer.zeroGrad();
    loss = torch.nn.functional.crossEntropy(model(xb), yb);
    loss.backward();
    optimizer.step();
  }
  return loss.item();
}
