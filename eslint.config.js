// ESLint flat config: typescript-eslint's type-checked rules over src/, functions/ and test/.
// Formatting is Prettier's job (.prettierrc.json); eslint-config-prettier, last, turns off the rules that
// would fight it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', '.lure/', 'tmp/', '.deploy/'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      eqeqeq: 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // `_name` marks a parameter an interface makes us take; `const { id: _id, ...rest } = x` is how the
      // code leaves a key out of a copy, so the siblings of a rest element are not "unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // node:test's describe() and it() return promises that the runner itself awaits; the files never
      // await them. Only those (and test/suite), imported from node:test, are let off.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // Numbers have one obvious text form, and counts, ports and HTTP statuses are written into messages
      // throughout; undefined, null, objects and the like stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => resolve()`, `(alert) => show(alert)`: a one-expression arrow whose value nobody reads.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // The in-memory adapters and the tests' fakes implement asynchronous ports with nothing to wait for;
    // `async` keeps them interchangeable with the real adapters (a throw becomes a rejected promise).
    files: ['src/adapters/**/memory*.ts', 'test/helpers/fake*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // The fake servers' route handlers are declared `: void` and answer with `return send(...)` (or
    // `return graphError(...)`): "answer and stop", the idiom of every route. Nothing reads the value, and the
    // declared return type says so.
    files: ['test/helpers/fake*.ts'],
    rules: { '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }] },
  },
  {
    // Tests index into results they have just checked (or that a failing `!` makes fail loudly anyway).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // This file itself: plain JavaScript, not in tsconfig.json's project.
    files: ['eslint.config.js'],
    extends: [js.configs.recommended],
  },
  prettier,
);
