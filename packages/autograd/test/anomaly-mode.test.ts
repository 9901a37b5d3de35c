import { afterEach, describe, expect, it, vi } from 'vitest';
import * as torch from '@descent/tensor';
import { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from '../src/index.js';

// PyTorch 1.13 (Debian's build): `(x / x).sum().backward()` at x = [0, 1] under detect_anomaly() raises
// "Function 'DivBackward0' returned nan values in its 1th output."; sqrt's infinite gradient at 0 passes (not NaN).
describe('anomaly detection', () => {
  afterEach(() => {
    setDetectAnomaly(false);
    vi.restoreAllMocks();
  });

  it("stops a backward at the function that returned a NaN, with PyTorch's message", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const x = torch.tensor([0, 1], { dtype: 'float32' }).requiresGrad_();
    expect(() => detectAnomaly(() => x.div(x).sum().backward())).toThrow("Function 'DivBackward0' returned nan values in its 1th output.");
    expect(warn.mock.calls[0][0]).toContain('Anomaly Detection has been enabled');
    expect(warn.mock.calls.some(([m]) => String(m).includes('Error detected in DivBackward0'))).toBe(true);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('lets infinite gradients through, and checks nothing when off', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const x = torch.tensor([0, 1], { dtype: 'float32' }).requiresGrad_();
    detectAnomaly(() => x.sqrt().sum().backward());
    expect(x.grad!.tolist() as number[]).toEqual([Infinity, 0.5]);
    const y = torch.tensor([0, 1], { dtype: 'float32' }).requiresGrad_();
    y.div(y).sum().backward();
    expect(Number.isNaN((y.grad!.tolist() as number[])[0])).toBe(true);
  });

  it('setDetectAnomaly turns it on until turned off', () => {
    setDetectAnomaly(true);
    expect(isAnomalyEnabled()).toBe(true);
    const x = torch.tensor([0, 2], { dtype: 'float32' }).requiresGrad_();
    expect(() => x.div(x).sum().backward()).toThrow("Function 'DivBackward0' returned nan values in its 1th output.");
    setDetectAnomaly(false);
    expect(isAnomalyEnabled()).toBe(false);
  });
});
