// `@descent/tensor/node`: Node-only helpers (file I/O). The main entry stays browser-safe.
export { save, load, type SaveOptions } from './serialization/node-file.js';
