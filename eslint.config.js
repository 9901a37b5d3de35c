// One flat config for the whole workspace: each package's `lint` script (`eslint src test`) finds it by
// walking up from the package directory.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    rules: {
      // Backend and kernel code sometimes needs `any` at untyped boundaries (WebGPU, typed-array unions); flag it, don't block.
      '@typescript-eslint/no-explicit-any': 'warn',
      // A leading underscore marks a parameter or binding that is unused on purpose (PyTorch-shaped signatures).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Tests assert on non-null values they just checked; `x.grad!` mirrors PyTorch's `x.grad` reads.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Keep source files small enough to read in one sitting: split a file by concern before it passes 400 lines.
    // Library code states what it knows in types (typed op params, guards), never with `!`.
    files: ['packages/*/src/**'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    // Plain JavaScript tooling (scripts, examples, benchmarks) runs in Node.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        globalThis: 'readonly',
      },
    },
  },
);
