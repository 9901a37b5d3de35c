// `@descent/tensor/node` in a browser bundle (the package's `browser` export condition picks this file): the
// same names as ./node.ts, each failing when called with what to do instead, so no bundler meets node:fs or
// node:crypto. `@descent/torch` imports ./node lazily inside torch.save and torch.load, which is why bundlers follow it.
import type * as nodeEntry from './node.js';

export type { SaveOptions } from './node.js';

export const save: typeof nodeEntry.save = async () => {
  throw new Error(
    'torch.save is Node-only (it writes a file): in a browser, use await encodeTorchCheckpoint(state) (PyTorch\'s format) ' +
      'or encodeSafetensors(stateDict) and download the bytes.',
  );
};

export const load: typeof nodeEntry.load = async () => {
  throw new Error(
    'torch.load is Node-only (it reads a file): in a browser, fetch the file as bytes and use ' +
      'await decodeTorchCheckpoint(bytes) (a PyTorch .pt/.pth/.bin) or decodeSafetensors(bytes).',
  );
};
