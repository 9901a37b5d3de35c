import './values.js';
import './math.js';
import './reductions.js';
import './shape.js';
import './inplace.js';
export type { AlphaOptions } from './math.js';
//# sourceMappingURL=index.d.ts.map