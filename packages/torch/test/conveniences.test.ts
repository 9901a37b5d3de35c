import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

describe('disposables: `using` frees at the end of the block', () => {
  it('a tensor declared with `using` is disposed when its block ends', () => {
    let escaped: torch.Tensor;
    {
      using t = torch.ones(2);
      escaped = t;
      expect(t.isDisposed).toBe(false);
      expect(t.sum().item()).toBe(2);
    }
    expect(escaped.isDisposed).toBe(true);
    expect(() => escaped.add(1)).toThrow(/disposed/);
  });

  it('`using s = torch.scope()` disposes what the block created, but not kept tensors or leaves that require grad', () => {
    const w = torch.ones(3, { requiresGrad: true });
    let temporary: torch.Tensor;
    let kept: torch.Tensor;
    {
      using s = torch.scope();
      expect(s).toBeInstanceOf(torch.Scope);
      temporary = w.mul(2);
      kept = torch.keep(temporary.sum());
    }
    expect(temporary.isDisposed).toBe(true);
    expect(kept.isDisposed).toBe(false);
    expect(kept.item()).toBe(6);
    expect(w.isDisposed).toBe(false);
    // Ops after the block are not recorded by the closed scope.
    const after = w.add(1);
    expect(after.isDisposed).toBe(false);
  });

  it('scope(fn) still returns what fn returns and disposes the rest; a throwing fn closes its scope', () => {
    let inner: torch.Tensor | undefined;
    const result = torch.scope(() => {
      inner = torch.arange(4, { dtype: 'float32' }).mul(3);
      return inner.sum();
    });
    expect(result.item()).toBe(18);
    expect(inner!.isDisposed).toBe(true);
    expect(() => torch.scope(() => torch.ones(2).matmul(torch.ones(3)))).toThrow();
    expect(torch.ones(2).add(1).isDisposed).toBe(false); // no scope left open by the failure
  });
});

describe('printing: what a person reads, never internal fields', () => {
  it('console.log(optimizer) prints PyTorch’s repr of the optimizer', () => {
    const sgd = new torch.optim.SGD([torch.ones(2, { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    const printed = inspect(sgd);
    expect(printed).toBe(sgd.toString());
    expect(printed.split('\n').slice(0, 2)).toEqual(['SGD (', 'Parameter Group 0']);
    expect(printed).toContain('    lr: 0.1\n');
    expect(printed).toContain('    momentum: 0.9\n');
    expect(printed).toContain('    nesterov: False\n');
    expect(printed).not.toMatch(/Map|state|params/);
  });

  it('console.log(loss.gradFn) prints the node as Python does, without the address', () => {
    const x = torch.ones(2, 2, { requiresGrad: true });
    const loss = x.mul(3).mean();
    expect(inspect(loss.gradFn)).toBe('<MeanBackward0 object>');
    expect(String(loss.gradFn)).toBe('<MeanBackward0 object>');
    expect(inspect({ gradFn: loss.gradFn })).toBe("{ gradFn: <MeanBackward0 object> }");
    expect(JSON.stringify({ gradFn: loss.gradFn })).toBe('{"gradFn":"<MeanBackward0 object>"}');
  });

  it('JSON.stringify(tensor) writes the values; console.log(tensor) prints PyTorch’s repr', () => {
    expect(JSON.stringify(torch.tensor([[1, 2], [3, 4]]))).toBe('[[1,2],[3,4]]');
    expect(JSON.stringify({ loss: torch.tensor(0.5), mask: torch.tensor([true, false]) })).toBe('{"loss":0.5,"mask":[true,false]}');
    expect(inspect(torch.tensor([1.5, 2]))).toBe('tensor([1.5000, 2.0000])');
  });
});

describe('printing devices and generators', () => {
  it('console.log(t.device) prints device(type=...) and JSON writes the device string', () => {
    expect(inspect(torch.ones(1).device)).toBe("device(type='cpu')");
    expect(JSON.stringify({ device: torch.ones(1).device })).toBe('{"device":"cpu"}');
  });

  it('console.log(generator) prints the object, not 624 words of state', () => {
    expect(inspect(new torch.Generator())).toBe('<torch.Generator object>');
  });
});

describe('optimizer state in PyTorch files', () => {
  it('torch.encodeTorchCheckpoint (the browser-safe torch.save) writes optimizer state in PyTorch\'s layout too', async () => {
    const w = torch.ones(2, { requiresGrad: true });
    const sgd = new torch.optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    w.sum().backward();
    sgd.step();
    const back = (await torch.decodeTorchCheckpoint(await torch.encodeTorchCheckpoint({ optimizer: sgd.stateDict() }))) as {
      optimizer: { state: Record<string, Record<string, torch.Tensor>>; param_groups: Record<string, unknown>[] };
    };
    expect(Object.keys(back.optimizer)).toEqual(['state', 'param_groups']);
    expect(back.optimizer.state['0'].momentum_buffer.tolist()).toEqual([1, 1]);
    expect(back.optimizer.param_groups[0].weight_decay).toBe(0);
  });

  it('a checkpoint that contains itself is refused with the writer\'s message, not a stack overflow', async () => {
    const loop: Record<string, unknown> = { w: torch.ones(1) };
    loop.self = loop;
    await expect(torch.encodeTorchCheckpoint(loop)).rejects.toThrow('contains itself');
  });
});
