// ESLint 9 flat config: typescript-eslint's recommended rules on our own sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'test/.tmp/**', 'examples/**', 'bench/.work/**', '.vscode-test/**', 'test/vscode/workspace/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['webview/**', 'test/helpers/contrast.cjs'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['**/*.cjs', '**/*.mjs', 'scripts/**', 'bench/**'],
    rules: { '@typescript-eslint/no-var-requires': 'off' },
  },
);
