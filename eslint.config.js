// ESLint 9 flat config: ESLint's and typescript-eslint's recommended rules, without type-aware rules (they
// would need a TypeScript program and make a run many times slower). Formatting is prettier's (npm run lint).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'dist.next-*/', 'dist.old-*/', 'sample-app/dist/', 'coverage/', '.tmp/', '**/node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      // As in the ESLint config `nest new` writes: `any` is the right type where a generic constraint must accept
      // every handler (`H extends ITaskHandler<any, any>`, `new (...args: any[]) => H`), which `unknown` refuses.
      '@typescript-eslint/no-explicit-any': 'off',
      // A leading underscore marks a parameter kept for its position (an interface's signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The CommonJS consumer app is what `nest new` made for Nest 11: require() is its point.
    files: ['.ci/fixtures/nest11-cjs/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
