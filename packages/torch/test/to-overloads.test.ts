import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// `x.to('cpu', torch.float64)` silently ignored the dtype; PyTorch's other overloads of `to` against PyTorch 1.13
// (fixtures/gen_to_overloads.py).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('to-overloads', new URL('./fixtures/', import.meta.url));

describe('Tensor.to overloads', () => {
  it('takes a device and a dtype, another tensor, or both by keyword', () => {
    const x = torch.tensor([1.5, -2.25], { requiresGrad: true });
    const other = torch.tensor([1, 2]);
    const a = x.to('cpu', torch.float64);
    const b = x.to(other);
    const c = x.to({ device: 'cpu', dtype: torch.int32 });
    const d = x.to({ dtype: torch.float64 });
    expect([a.dtype, String(a)]).toEqual(golden.device_dtype);
    expect([b.dtype, String(b)]).toEqual(golden.other);
    expect([c.dtype, String(c)]).toEqual(golden.keywords);
    expect(String(d)).toBe(golden.dtype_keyword);
    expect(x.to('cpu') === x).toBe(golden.same);
    a.sum().add(d.sum()).backward();
    expect(x.grad!.tolist()).toEqual(golden.grad);
  });
});
