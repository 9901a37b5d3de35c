/**
 * The printed table: one row per figure, Descent and tfjs-webgpu side by side, with the target. Targets
 * are for a real GPU (an H100 class device); on a software adapter they are shown but marked not applicable.
 */
import { Skipped } from './measure.mjs';

/** Each workload's figure from seconds per run: its value, unit, and which way is better. */
export const FIGURES = {
  matmul: (n) => ({ label: `matmul ${n}x${n} fp32`, unit: 'TFLOP/s', higherIsBetter: true, value: (s) => (2 * n ** 3) / s / 1e12 }),
  elementwise: (n) => ({ label: `a*b + a over ${countLabel(n)} floats`, unit: 'GB/s', higherIsBetter: true, value: (s) => (12 * n) / s / 1e9 }),
  chain: (ops) => ({ label: `chain of ${ops} tiny adds ([2,3])`, unit: 'µs/op', higherIsBetter: false, value: (s) => (s / ops) * 1e6 }),
  mlp: (widths, batch) => ({ label: `MLP ${widths.join('-')} batch ${batch}, SGD`, unit: 'steps/s', higherIsBetter: true, value: (s) => 1 / s }),
};

/** The targets, stated for a real GPU. `check(descent, ratio)` says whether a row meets it. */
export function targetFor(workload, size, options) {
  if (workload === 'matmul') {
    const speed = size === 4096 ? { text: '≥ 46 TFLOP/s, ', ok: (v) => v >= 46 } : { text: '', ok: () => true };
    return { text: `${speed.text}≥ 4x tfjs`, check: (v, ratio) => speed.ok(v) && ratio >= 4 };
  }
  if (workload === 'elementwise') {
    const note = options.elementwise === 64 * 2 ** 20 ? '' : ' (at 64M)';
    return { text: `≥ 2800 GB/s${note}`, check: (v) => v >= 2800 };
  }
  if (workload === 'chain') return { text: '≤ 5 µs/op', check: (v) => v <= 5 };
  return { text: 'PyTorch CUDA: 1138 (H100, full size)', check: null };
}

export function countLabel(n) {
  if (n % 2 ** 20 === 0) return `${n / 2 ** 20}M`;
  if (n % 2 ** 10 === 0) return `${n / 2 ** 10}K`;
  return String(n);
}

export function formatValue(value, unit) {
  if (unit === 'TFLOP/s' && value < 1) return `${(value * 1000).toPrecision(3)} GFLOP/s`;
  if (unit === 'µs/op' || unit === 'steps/s') return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ${unit}`;
  return `${value.toPrecision(3)} ${unit}`;
}

/** A cell: the figure, or why it is missing. */
export function cell(result) {
  if (!result) return '-';
  if (result instanceof Skipped || result.skipped) return `skipped: ${result.reason ?? result.skipped}`;
  if (result.error) return `n/a: ${result.error}`;
  let text = formatValue(result.value, result.unit);
  if (result.enqueueUsPerOp !== undefined) text += ` (enqueue ${result.enqueueUsPerOp.toFixed(2)})`;
  return text;
}

export function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
