import { defineConfig } from 'vitest/config';

// Each test file installs packages or runs tools in a temporary directory; they run in parallel, so the whole
// suite takes about as long as its slowest file (the backend generator, about 30 s).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 150_000,
    hookTimeout: 150_000,
  },
});
