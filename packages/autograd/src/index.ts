import './install.js';

export { backward, grad, type GradOptions } from './backward.js';
export { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck.js';
export { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from './anomaly-mode.js';
export { RULES, type GradRule, type PartsRule } from './rules.js';
export { sumToShape } from './sum-to-shape.js';
export { AutogradFunction as Function, FunctionCtx } from './function.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from '@descent/tensor';
export * as functional from './functional/index.js';
