import { describe, expect, it } from 'vitest';
import { cpu, onOp, tensor, zeros, type OpEvent } from '../src/index.js';

/** Runs `fn` and returns every op event the gate reported while it ran. */
function recorded(fn: () => void): OpEvent[] {
  const events: OpEvent[] = [];
  const stop = onOp((e) => events.push(e));
  try {
    fn();
  } finally {
    stop();
  }
  return events;
}

/** Ops at one nesting depth, leaving out uploads: a scalar operand (`x.gt(0)`) is uploaded once, then cached. */
const opsAt = (events: OpEvent[], depth: number) => events.filter((e) => e.depth === depth && e.op !== 'upload').map((e) => e.op);
const topLevel = (events: OpEvent[]) => opsAt(events, 0);

describe('the gate', () => {
  it('reports each op with its typed params, device and output', () => {
    const x = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    let out = x;
    const [event] = recorded(() => (out = x.sum(1, { keepdim: true })));
    expect(event.op).toBe('sum');
    expect(event.params).toEqual({ dims: [1], keepdim: true, dimGiven: true });
    expect(event.device).toBe(cpu);
    expect(event.inputs).toEqual([x]);
    expect(event.output).toBe(out);
    expect(event.depth).toBe(0);
  });

  it('sees ops that record no node here: comparisons, argmax, floor (x needs no grad), creation and in-place writes', () => {
    const x = tensor([1.5, -2, 3]);
    const ops = topLevel(
      recorded(() => {
        x.gt(0);
        x.argmax();
        x.floor();
        zeros(2);
        x.clone().fill_(1);
        x.clone().copy_(x);
      }),
    );
    // gt is lt with the operands swapped; argmax flattens first (a view); fill_ and copy_ write through the gate.
    expect(ops).toEqual(['lt', 'view', 'argmax', 'floor', 'full', 'clone', 'fill', 'clone', 'copyInto']);
  });

  it('reports the ops a composite op runs inside its body one level deeper: var reduces once per pass', () => {
    const x = tensor([[1, 2, 3], [4, 5, 7]], { dtype: 'float32' });
    const events = recorded(() => x.var(1));
    expect(topLevel(events)).toEqual(['var']);
    // On the CPU in float64, as PyTorch accumulates it: the mean, then the sum of squared deviations.
    expect(opsAt(events, 1)).toEqual(['cast', 'mean', 'sub', 'mul', 'sum', 'div', 'cast']);
  });

  it('stops calling a hook once it unsubscribes', () => {
    const seen: string[] = [];
    const stop = onOp((e) => seen.push(e.op));
    tensor([1, 2]).neg();
    stop();
    tensor([1, 2]).neg();
    expect(seen).toEqual(['upload', 'neg']);
  });

  it('answers the typed capability query from the backend', () => {
    expect(cpu.supports('readSync')).toBe(true);
    // The CPU composes softmax from primitives (bit-exact with PyTorch's CPU kernels) and fuses the optimizer
    // steps into one pass each (bit-identical to optim's composed steps).
    expect(cpu.supports('softmax')).toBe(false);
    expect(cpu.supports('sgdUpdate')).toBe(true);
    expect(cpu.supports('adamUpdate')).toBe(true);
  });
});
