// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**', '.build/**', '.dist-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
    },
  },
  {
    // The launcher and the build are plain CommonJS (they run before anything is compiled).
    files: ['bin/**/*.js', 'pipeline/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    // TypeScript checks these files (checkJs), names included.
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-undef': 'off' },
  },
  {
    // Plain Node scripts outside the TypeScript project: the config and the CI's user-change corpus.
    files: ['eslint.config.mjs', '.ci/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: 'readonly', URL: 'readonly' },
      parserOptions: { projectService: false, project: null },
    },
  },
);
