import { defineConfig } from 'vitest/config';

// The WebGPU suites also run on software adapters (lavapipe, or Mesa's OpenGL ES) on busy 2-core machines, where a
// 100-step training loop can take longer than vitest's default 5 s.
export default defineConfig({ test: { testTimeout: 60_000 } });
