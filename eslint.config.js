// Lint for correctness and for the layer rules, so the architecture is checked, not only described.
// Layers (an arrow means "may import"):
//   src/app      -> the worker clients (src/workers/client.ts, lab-client.ts, explorer/client.ts) and
//                   src/workers/api.ts; `import type` only from storage, model and formats (erased at build,
//                   so no parser, database or tfjs code reaches the page). Never tfjs, never node:*.
//   src/workers  -> model, formats, storage, and tfjs (a worker hosts the backend: device loss, tidy).
//   src/model    -> tfjs and formats (the record and image types, constants and pure signal code it shares
//                   with the parsers); never storage, workers or app.
//   src/formats  -> nothing else in src; never tfjs.
//   src/storage  -> `import type` from formats; never tfjs.
//   Nothing in src/ imports tools/ or e2e/; unit tests (*.test.ts, testing/ helpers) may, for fixtures and
//   writers, and may use node:*. So may the Node halves of the platform seams (src/**/platform/*.node.ts),
//   which package.json "imports" selects under the "node" condition only (the browser build never sees them).
// Types follow the same split: `npm run typecheck` checks src/app under tsconfig.app.json (DOM, no Node) and
// the worker-side code under tsconfig.worker.json (WebWorker, no DOM, no Node).
// Style is left to the author: only correctness, these boundaries and the rules of hooks are checked.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const TESTS = ['src/**/*.test.ts', 'src/**/testing/**', 'src/formats/testing.ts'];

const tfjs = { group: ['@tensorflow/*'], message: 'tfjs belongs to src/model and the workers.' };
const node = { group: ['node:*'], message: 'node:* belongs to tools/, e2e/ and tests; this code runs in the browser.' };
const toolsOrE2e = { group: ['**/tools/**', '**/e2e/**'], message: 'src/ never imports tools/ or e2e/.' };
const app = { group: ['**/app/**'], message: 'Nothing below src/app imports the app.' };
const workers = { group: ['**/workers/**'], message: 'Only src/app talks to the workers, through their clients.' };
const storage = { group: ['**/storage', '**/storage/**'], message: 'src/model does not touch the database; the workers do.' };
const typesOnly = (folder, why) => ({ group: [`**/${folder}`, `**/${folder}/**`], allowTypeImports: true, message: why });

/** `@typescript-eslint/no-restricted-imports` with these patterns (it also knows `import type`). */
const restrict = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'training/**', 'bench-results/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Casts through `unknown` and `any` at the tfjs / wasm / IndexedDB seams are deliberate and commented.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Environments: the page, the workers, Node.
  { files: ['src/app/**'], languageOptions: { globals: globals.browser } },
  { files: ['src/workers/**', 'src/model/**', 'src/formats/**', 'src/storage/**'], languageOptions: { globals: globals.worker } },
  { files: ['tools/**', 'e2e/**', '*.config.{js,ts}', ...TESTS], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  // Hooks: only the page has React.
  {
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Layer boundaries (production code).
  {
    files: ['src/app/**'],
    rules: {
      ...restrict(
        tfjs,
        node,
        toolsOrE2e,
        {
          regex: '(^|/)workers/(?!(client|lab-client|explorer/client|api)$)',
          message: 'The app reaches the workers only through src/workers/{client,lab-client,explorer/client,api}.ts.',
        },
        typesOnly('storage', 'The app reads the database through the workers; `import type` only.'),
        typesOnly('model', 'Model code runs in the workers; the app may `import type` only.'),
        typesOnly('formats', 'Parsers run in the workers; the app may `import type` only.'),
      ),
      // Dynamic import() is not seen by no-restricted-imports.
      'no-restricted-syntax': [
        'error',
        { selector: "ImportExpression[source.value=/(^|\\/)(storage|model|formats|tools|e2e)(\\/|$)|^@tensorflow\\/|^node:/]", message: 'Dynamic import across a layer boundary (see eslint.config.js).' },
        { selector: "ImportExpression[source.value=/\\/workers\\//]:not([source.value=/\\/workers\\/(client|lab-client|explorer\\/client|api)$/])", message: 'The app reaches the workers only through their clients.' },
      ],
    },
  },
  { files: ['src/workers/**'], rules: restrict(node, toolsOrE2e, app) },
  { files: ['src/model/**'], rules: restrict(node, toolsOrE2e, app, workers, storage) },
  {
    files: ['src/formats/**'],
    rules: restrict(tfjs, node, toolsOrE2e, app, workers, { group: ['**/model', '**/model/**', '**/storage', '**/storage/**'], message: 'src/formats is the bottom layer: it imports nothing else from src.' }),
  },
  { files: ['src/storage/**'], rules: restrict(tfjs, node, toolsOrE2e, app, workers, { group: ['**/model', '**/model/**'], message: 'src/storage never imports model code.' }, typesOnly('formats', 'src/storage stores parsed records; `import type` only.')) },
  // Unit tests run in Node: node:*, tools/ writers and e2e/ fixtures are allowed; the page and tfjs rules stay.
  { files: TESTS, rules: restrict(app) },
  { files: ['src/app/**/*.test.ts'], rules: restrict(tfjs) },
  { files: ['src/formats/**/*.test.ts', 'src/storage/**/*.test.ts'], rules: restrict(tfjs, app, workers) },
  // Node halves of the platform seams: node:* allowed, every other boundary of their layer kept.
  { files: ['src/model/**/platform/*.node.ts'], rules: restrict(toolsOrE2e, app, workers, storage) },
  { files: ['src/formats/**/platform/*.node.ts'], rules: restrict(tfjs, toolsOrE2e, app, workers) },
);
