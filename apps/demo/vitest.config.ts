import { defineConfig } from 'vitest/config';

// The tests run the built CLI as a child process; training runs take seconds, longer on a loaded 2-core machine.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
