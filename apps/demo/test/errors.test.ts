// Bad arguments: one line on stderr saying what was wrong, a non-zero exit, no stack trace, nothing on stdout.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe.each([
  ['an unknown device', ['gradient-descent', '--device', 'tpu'], "error: option '--device <device>' argument 'tpu' is invalid. Allowed choices are cpu, webgpu."],
  ['an unknown device for the tour', ['--device', 'cuda'], "error: option '--device <device>' argument 'cuda' is invalid. Allowed choices are cpu, webgpu."],
  ['a negative epoch count', ['linear-fit', '--epochs', '-3'], "error: option '--epochs <n>' argument '-3' is invalid. --epochs must be a whole number >= 0."],
  ['a fractional epoch count', ['crop-yields', '--fit-epochs', '2.5'], "error: option '--fit-epochs <n>' argument '2.5' is invalid. --fit-epochs must be a whole number >= 0."],
  ['a missing --load file', ['linear-fit', '--load', 'no/such/model.safetensors'], "error: option '--load <path>' argument 'no/such/model.safetensors' is invalid. no such file: no/such/model.safetensors"],
  ['a learning rate that is not a number', ['crop-yields', '--lr', 'fast'], "error: option '--lr <x>' argument 'fast' is invalid. --lr must be a number > 0, such as 0.01 or 1e-4."],
  ['a zero batch size', ['crop-yields', '--batch-size', '0'], "error: option '--batch-size <n>' argument '0' is invalid. --batch-size must be a whole number >= 1."],
  ['an unknown notebook', ['crop-yields', '--notebook', '007'], "error: option '--notebook <id>' argument '007' is invalid. Allowed choices are 004, 000."],
  ['an unknown option', ['linear-fit', '--epoch', '3'], "error: unknown option '--epoch'\n(Did you mean --epochs?)"],
  ['an unknown program', ['linear-regression'], "error: unknown program 'linear-regression'. The programs are gradient-descent, crop-yields, linear-fit, digits, devices (see --help)."],
])('%s', (_what, args, message) => {
  it('fails with one clear message', async () => {
    const result = await runCli(args);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
