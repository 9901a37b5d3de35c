/**
 * Descent's side of each workload, on the 'webgpu' device. Every `runBatch(iters)` enqueues `iters` runs, then
 * awaits `torch.webgpu.synchronize()`. Results are disposed as soon as they are enqueued, so the buffer pool
 * hands the same buffers back (as a training loop's `scope()` would) and memory stays flat for any `iters`.
 */
import * as torch from '@descent/torch';

const gpu = { device: 'webgpu' };

export async function initDescent() {
  await torch.webgpu.init();
  return {
    name: 'Descent',
    info: torch.webgpu.info(),
    stats: () => torch.webgpu.memoryStats(),
    matmul,
    elementwise,
    chain,
    mlp,
    mlpInitialState,
  };
}

function matmul(n) {
  const a = torch.randn(n, n, gpu);
  const b = torch.randn(n, n, gpu);
  return {
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) torch.matmul(a, b).dispose();
      await torch.webgpu.synchronize();
    },
    dispose: () => [a, b].forEach((t) => t.dispose()),
  };
}

/** c = a*b + a: two kernels (no fusion yet), so 5N floats move where a fused kernel would move 3N. */
function elementwise(n) {
  const a = torch.randn(n, gpu);
  const b = torch.randn(n, gpu);
  return {
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) torch.scope(() => a.mul(b).add(a)).dispose();
      await torch.webgpu.synchronize();
    },
    dispose: () => [a, b].forEach((t) => t.dispose()),
  };
}

/** `ops` dependent adds on [2,3] tensors, each reading the previous result. */
function chain(ops) {
  const x0 = torch.randn(2, 3, gpu);
  const b = torch.randn(2, 3, gpu);
  const enqueueSeconds = [];
  return {
    enqueueSeconds,
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) {
        const t0 = performance.now();
        torch.scope(() => {
          let x = x0;
          for (let k = 0; k < ops; k++) x = x.add(b);
          return x;
        }).dispose();
        enqueueSeconds.push((performance.now() - t0) / 1000);
      }
      await torch.webgpu.synchronize();
    },
    dispose: () => [x0, b].forEach((t) => t.dispose()),
  };
}

/** An MLP with ReLUs, cross-entropy and plain SGD, as in a PyTorch tutorial; one step per run. */
function mlp(widths, batch) {
  const layers = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    if (i > 0) layers.push(new torch.nn.ReLU());
    layers.push(new torch.nn.Linear(widths[i], widths[i + 1]));
  }
  const model = new torch.nn.Sequential(...layers).to('webgpu');
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new torch.nn.CrossEntropyLoss();
  const x = torch.randn(batch, widths[0], gpu);
  const y = torch.randint(0, widths.at(-1), [batch], gpu);
  const step = () =>
    torch.scope(() => {
      optimizer.zeroGrad();
      const loss = lossFn(model(x), y);
      loss.backward();
      optimizer.step();
      return loss;
    });
  return {
    model,
    x,
    y,
    /** Losses of the first `steps` steps (read back, so not timed). */
    async losses(steps) {
      const out = [];
      for (let i = 0; i < steps; i++) out.push(await step().itemAsync());
      return out;
    },
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) step().dispose();
      await torch.webgpu.synchronize();
    },
    dispose: () => [x, y].forEach((t) => t.dispose()),
  };
}

/** The MLP's starting point as host arrays, for tfjs to start from the same weights and data. */
async function mlpInitialState(run) {
  const linears = [...run.model.modules()].filter((m) => m instanceof torch.nn.Linear);
  const layers = [];
  for (const l of linears) {
    layers.push({ weight: await l.weight.dataAsync(), bias: await l.bias.dataAsync(), shape: [...l.weight.shape] });
  }
  return { layers, x: await run.x.dataAsync(), xShape: [...run.x.shape], y: await run.y.dataAsync() };
}
