export { Generator, defaultGenerator, manualSeed, initialSeed, seed, getRngState, setRngState } from './generator.js';
