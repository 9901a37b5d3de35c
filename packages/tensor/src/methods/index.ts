// Installs the op methods on Tensor.prototype. `src/index.ts` imports this once; so does every entry point.
import './values.js';
import './math.js';
import './reductions.js';
import './shape.js';
import './inplace.js';
import './hooks.js';
import './extra.js';
import './elementwise.js';
import './elementwise-inplace.js';
import './shape-extra.js';
import './statistics.js';
import './matrix-transpose.js';
import './device-flags.js';
import './special-functions.js';
import './more-ops.js';
import './inplace-views.js';
import './math-extra.js';
import './inplace-more.js';

export type { AlphaOptions } from './math.js';
