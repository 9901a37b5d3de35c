import { describe, expect, it } from 'vitest';
import { keep, ones, scope, Scope, tensor, type Tensor } from '../src/index.js';

describe('scope()', () => {
  it('never disposes the cached scalar operands it happens to create', () => {
    const x = tensor([1, 2, 3]);
    // 12345.5 is first seen inside the scope, which creates and caches its 0-d operand there.
    const first = scope(() => x.mul(12345.5));
    expect(first.tolist()).toEqual([12345.5, 24691, 37036.5]);
    const second = scope(() => x.add(12345.5));
    expect(second.tolist()).toEqual([12346.5, 12347.5, 12348.5]);
  });

  it('keeps the tensors of what fn returns at any depth: arrays, objects and Maps', () => {
    let dropped: Tensor | undefined;
    const result = scope(() => {
      dropped = ones(2).mul(5);
      return { a: [ones(2).mul(2)], b: new Map([['c', { d: ones(1).mul(3) }]]) };
    });
    expect(dropped?.isDisposed).toBe(true);
    expect(result.a[0].tolist()).toEqual([2, 2]);
    expect(result.b.get('c')?.d.tolist()).toEqual([3]);
  });
});

describe('keep()', () => {
  it('keeps a tensor, or every tensor in an array, object or Map, past any enclosing scope, and returns its argument', () => {
    const made: Tensor[] = [];
    scope(() => {
      const one = ones(1).mul(1);
      expect(keep(one)).toBe(one);
      const object = { two: ones(1).mul(2), list: [ones(1).mul(3)], self: null as unknown };
      object.self = object; // cycles are walked once
      expect(keep(object)).toBe(object);
      const map = keep(new Map([['four', ones(1).mul(4)]]));
      const temporary = ones(1).mul(5);
      made.push(one, object.two, object.list[0], map.get('four') ?? one, temporary);
    });
    expect(made.map((t) => t.isDisposed)).toEqual([false, false, false, false, true]);
    expect(made.slice(0, 4).map((t) => t.item())).toEqual([1, 2, 3, 4]);
  });

  it('kept tensors survive nested scopes and can still be disposed by hand', () => {
    let kept: Tensor | undefined;
    scope(() => scope(() => void (kept = keep(ones(3).mul(2)))));
    expect(kept?.tolist()).toEqual([2, 2, 2]);
    kept?.dispose();
    expect(kept?.isDisposed).toBe(true);
  });
});

describe('scope() and async functions: a scope cannot follow an await', () => {
  it('scope(async fn) throws a TypeError before running fn, and leaves no scope open', () => {
    let ran = false;
    const fn = async () => {
      ran = true;
      return ones(1);
    };
    expect(() => scope(fn)).toThrow(
      new TypeError(
        'scope() got an async function: a scope cannot follow an await (it would record the tensors other code creates ' +
          'during the wait, and dispose tensors still in use after it). Await first, then open the scope around the ' +
          'synchronous work, e.g. per training step: `const [x, y] = await nextBatch(); torch.scope(() => trainStep(x, y));`.',
      ),
    );
    expect(ran).toBe(false);
    const after = ones(1).mul(2);
    scope(() => 0);
    expect(after.isDisposed).toBe(false);
  });

  it('a function that returns a Promise throws once it returns, disposing nothing, and stops recording', async () => {
    let inside: Tensor | undefined;
    let pending: Promise<number> | undefined;
    expect(() =>
      scope(() => {
        inside = ones(2).mul(2);
        pending = Promise.resolve().then(() => (inside ? inside.sum().item() : 0));
        return pending;
      }),
    ).toThrow(/^scope\(\) got a function that returned a Promise, so it disposed nothing: a scope cannot follow an await/);
    expect(await pending).toBe(4); // what the pending work uses is still there
    const after = ones(1).mul(2);
    scope(() => 0);
    expect(after.isDisposed).toBe(false);
  });

  it('a scope still open across an await disposes nothing and throws when it closes', async () => {
    const s = scope();
    expect(s).toBeInstanceOf(Scope);
    const inside = ones(2).mul(3);
    await Promise.resolve();
    const duringWait = ones(2).mul(4); // what other code might create meanwhile
    expect(() => s.close()).toThrow(/^A scope was still open across an await, so it disposed nothing: /);
    expect([inside.isDisposed, duringWait.isDisposed]).toEqual([false, false]);
    expect(() => s.close()).not.toThrow(); // closing twice is a no-op
  });

  it('`using s = scope()` with an await in its block throws at the end of the block', async () => {
    let inside: Tensor | undefined;
    const block = async () => {
      using _scope = scope();
      inside = ones(2).mul(3);
      await Promise.resolve();
    };
    await expect(block()).rejects.toThrow(/With `using s = torch.scope\(\)`, end the block before the first await\.$/);
    expect(inside?.tolist()).toEqual([3, 3]);
  });

  it('a scope that opens and closes between awaits is fine', async () => {
    await Promise.resolve();
    let temporary: Tensor | undefined;
    const result = scope(() => {
      temporary = ones(2).mul(2);
      return temporary.sum();
    });
    await Promise.resolve();
    expect(temporary?.isDisposed).toBe(true);
    expect(result.item()).toBe(4);
  });
});
