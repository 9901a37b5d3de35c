import { describe, expect, it } from 'vitest';
import { ones, zeros } from '@descent/tensor';
import { Linear, ModuleList, ParameterList, ReLU, Sequential, Tanh } from '../src/index.js';

describe('list[-k], as Python indexes a Sequential, ModuleList or ParameterList', () => {
  it('reads from the end, and is never a child, a state_dict key or part of the repr', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    expect(seq[-1]).toBe(seq[2]);
    expect(seq[-3]).toBe(seq[0]);
    expect(Object.keys(seq).filter((k) => k.startsWith('-'))).toEqual([]);
    expect([...seq.namedChildren()].map(([name]) => name)).toEqual(['0', '1', '2']);
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const list = new ModuleList([new Tanh(), new ReLU()]);
    expect(list[-1]).toBe(list[1]);
  });

  it('replaces the child on assignment, as `seq[-1] = module` does in PyTorch', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU());
    const head = new Linear(3, 4);
    (seq as unknown as Record<number, unknown>)[-1] = head;
    expect(seq[1]).toBe(head);
    expect(seq.length).toBe(2);
    expect([...seq.namedChildren()].map(([name]) => name)).toEqual(['0', '1']);
    expect(seq(ones(5, 2)).shape).toEqual([5, 4]);
  });

  it('raises PyTorch\'s IndexError message past the start', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU());
    expect(() => seq[-3]).toThrow('index -3 is out of range');
    expect(() => new ModuleList([])[-1]).toThrow('index -1 is out of range');
  });

  it('reads and replaces a ParameterList entry from the end, which stays out of its parameters', () => {
    const list = new ParameterList([ones(2), zeros(3)]);
    expect(list[-1]).toBe(list[1]);
    (list as unknown as Record<number, unknown>)[-2] = zeros(4);
    expect(list[0].shape).toEqual([4]);
    expect([...list.namedParameters()].map(([name]) => name)).toEqual(['0', '1']);
    expect(() => list[-3]).toThrow('index -3 is out of range');
  });
});
