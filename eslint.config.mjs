// ESLint (flat config) for the whole codebase; Prettier does the layout (npm run lint runs both).
// Type-aware rules (typescript-eslint) catch what matters here: promises nobody awaits or that are
// handed to callers that ignore them, and `any` flowing out of untyped sources (query() rows, JSON).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const promiseRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  // `return promise` inside try/catch skips the catch and the finally's timing: await it there.
  '@typescript-eslint/return-await': ['error', 'in-try-catch'],
};

const commonRules = {
  eqeqeq: ['error', 'smart'],
  // A `let` read by closures made before its one assignment cannot be a const.
  'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
  'no-unused-vars': 'off',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/', 'dist/', 'dist-tools/', 'web/dist/', 'data/', 'coverage/', 'docs/', 'test/fixtures/'],
  },
  js.configs.recommended,

  // TypeScript of the service, its tests and its tools, with type information.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      ...commonRules,
      ...promiseRules,
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Nest modules are classes with only decorators; empty lifecycle methods are allowed to exist.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },

  // The console (React), with its own tsconfig and the rules of hooks.
  {
    files: ['web/src/**/*.{ts,tsx}', 'web/vite.config.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      parserOptions: { project: './web/tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...commonRules,
      ...promiseRules,
    },
  },

  // Plain JavaScript (benchmarks, build scripts, config files): CommonJS on Node. The type-aware
  // promise rules apply (types inferred from the code); the `any` rules would flag every value.
  {
    files: ['bench/**/*.js', 'scripts/**/*.js', '*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...globals.node },
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { ...commonRules, ...promiseRules },
  },
  {
    files: ['*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },

  // Tests: Jest's globals. A test works on JSON on purpose: it reads answers off the wire
  // (supertest's `res.body` is `any`), rows it selects to check what was stored, and sample payloads
  // it breaks field by field (a wrong type is the point); Jest's matchers (`expect.any(String)`) are
  // typed `any` too. The assertions are the checks there, so the `any` rules stop at src/ and the
  // tools; every promise rule still applies to tests (an unawaited `expect(...).rejects` proves nothing).
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'web/src/**/*.spec.ts'],
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
