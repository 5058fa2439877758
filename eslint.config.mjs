// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'reports/**', 'tools/neo4j/**/*.java'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/dist/**'], message: 'Import sources, not build output.' }] },
      ],
    },
  },
  {
    // The domain is pure: no framework, no I/O, no other layer of ours.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'neo4j-driver', 'better-sqlite3', '@eventstore/*', 'express', 'pino'], message: 'libs/domain stays framework-free and I/O-free.' },
            { group: ['@app/*', '!@app/domain'], message: 'libs/domain depends on nothing of ours.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/event-store/**/*.ts', 'libs/graph/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', '@app/runtime'], message: 'Adapters do not depend on Nest or on the composition root.' }] }],
    },
  },
  {
    // The web page runs in the browser and talks to the API over HTTP only.
    files: ['apps/web/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@app/*', '@nestjs/*', 'neo4j-driver'], message: 'The web page uses the public GraphQL API only.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
);
