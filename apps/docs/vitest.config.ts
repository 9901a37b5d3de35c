import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Examples spawn Node processes and the browser test trains on SwiftShader: slow on a 2-core machine
    // while turbo runs every package's tests at once.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The browser test and the examples each want the CPU; run the files one at a time.
    fileParallelism: false,
  },
});
