export * from './dtype.js';
export * from './view.js';
export * from './ops.js';
export * from './backend.js';
export * from './conv-geometry.js';
