import type { DType } from '@descent/backend';
import type { DeviceLike } from '../device.js';
import { Tensor } from '../tensor.js';
import { tensor, zeros, type NestedArray } from './creation.js';

/**
 * PyTorch's legacy typed constructors, which older tutorials still use: `torch.FloatTensor([1, 2])` copies data
 * into that dtype, `torch.FloatTensor(2, 3)` makes a tensor of that size (PyTorch leaves it uninitialized; here it
 * is zeros), `torch.FloatTensor()` an empty one, and a tensor of that dtype passes through.
 */
type LegacyArg = number | NestedArray | ArrayBufferView | Tensor | { device?: DeviceLike };

const TYPE_NAMES: Record<DType, string> = { float32: 'float', float64: 'double', int64: 'long int', int32: 'int', int16: 'short int', int8: 'signed char', uint8: 'unsigned char', bool: 'bool' };

function legacyConstructor(dtype: DType): (...args: LegacyArg[]) => Tensor {
  return (...args) => {
    const last = args[args.length - 1];
    const options = last !== null && typeof last === 'object' && !(last instanceof Tensor) && !Array.isArray(last) && !ArrayBuffer.isView(last) ? (args.pop() as { device?: DeviceLike }) : {};
    const create = { dtype, device: options.device };
    if (args.length === 0) return zeros([0], create);
    const [first] = args;
    if (args.every((a) => typeof a === 'number')) {
      const sizes = args as number[];
      if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new TypeError(`new(): data must be a sequence (got float)`);
      return zeros(sizes, create);
    }
    if (args.length !== 1) throw new TypeError('new(): expected sizes as numbers, or one sequence of data');
    if (first instanceof Tensor) {
      if (first.dtype !== dtype) throw new TypeError(`expected TensorOptions(dtype=${TYPE_NAMES[dtype]}) (got TensorOptions(dtype=${TYPE_NAMES[first.dtype]}))`);
      return first;
    }
    return tensor(first as NestedArray | ArrayBufferView, create);
  };
}

export const FloatTensor = legacyConstructor('float32');
export const DoubleTensor = legacyConstructor('float64');
export const LongTensor = legacyConstructor('int64');
export const IntTensor = legacyConstructor('int32');
export const ShortTensor = legacyConstructor('int16');
export const CharTensor = legacyConstructor('int8');
export const ByteTensor = legacyConstructor('uint8');
export const BoolTensor = legacyConstructor('bool');
