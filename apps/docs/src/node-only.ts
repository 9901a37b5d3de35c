// Stands in for the Node-only entry points (`@descent/backend-webgpu/node`, `@descent/tensor/node`) in the browser
// bundle: `@descent/torch` imports them lazily, only on Node code paths, so nothing in a page ever calls these.
function nodeOnly(name: string): never {
  throw new Error(`${name} needs Node (file system or Dawn); in a browser, use navigator.gpu and in-memory tensors.`);
}

export const createNodeWebGPUBackend = (): never => nodeOnly('createNodeWebGPUBackend');
export const save = (): never => nodeOnly('torch.save');
export const load = (): never => nodeOnly('torch.load');
