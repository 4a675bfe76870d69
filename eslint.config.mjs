// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Which way imports point (STYLE.md "Dependencies point one way", docs/development.md "Layout"), as lint rules.
 *
 * - Infrastructure: the shared folders. Any folder may import them; they import no feature.
 * - Features: each may import infrastructure and the public files of the features listed for it. A feature's
 *   public files are the ones at its top level and in its PUBLIC_FOLDERS (dto/, entities/, and messages/: the
 *   messages a feature composes, for the features that send them); its other folders (notify/delivery/,
 *   stream/receiving/, …) are its own business. The list is checked to be acyclic below, so an arrow that runs
 *   back up is a lint error, not a review comment.
 * - src/*.ts is the composition root (app.module.ts, main.ts, app.factory.ts): it imports the folders, they never
 *   import it.
 * - simulator/ is the offline DingTalk that judges the service: it imports nothing from src/, and src/ nothing
 *   from it. Production code imports nothing from test/ or bench/.
 * - Tests may import anything: test/, bench/, and the unit specs beside the code (*.spec.ts).
 *
 * no-restricted-imports matches the import as written, not the file it resolves to, so the patterns are made per
 * folder depth: from src/<folder>/a/b.ts, `../../notify/x` is src/notify/x, while `./stream/x` stays inside.
 */
export const INFRASTRUCTURE = [
  'auth',
  'cluster',
  'common',
  'config',
  'database',
  'dingtalk',
  'events',
  'idempotency',
  'logging',
  'metrics',
];
/** Feature -> the features whose public files it may import. @type {Record<string, string[]>} */
export const FEATURES = {
  'message-template': [],
  'menu-report': [],
  retention: [],
  'dingtalk-app': [],
  'dingtalk-bot': ['message-template', 'dingtalk-app'],
  notify: ['dingtalk-bot', 'menu-report', 'message-template'],
  'daily-summary': ['dingtalk-bot', 'message-template', 'notify'],
  stream: ['dingtalk-app', 'dingtalk-bot', 'menu-report', 'notify', 'kitchen-confirmation'],
  health: ['stream'],
  'bot-health': ['dingtalk-bot', 'notify'],
  'kitchen-confirmation': ['dingtalk-bot', 'menu-report', 'notify'],
  'store-overview': [],
  console: [],
};
/** A feature's folders other features may import from, besides its top level. */
export const PUBLIC_FOLDERS = ['dto', 'entities', 'messages'];
/** How many folders deep below src/<folder>/ (or simulator/) the rules reach; test/lint/boundaries.spec.ts checks it. */
export const MAX_SUBFOLDER_DEPTH = 5;

/** @param {Record<string, string[]>} graph */
function assertAcyclic(graph) {
  const state = new Map();
  /** @type {(node: string, path: string[]) => void} */
  const visit = (node, path) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open')
      throw new Error(`eslint.config.mjs: FEATURES has a cycle: ${[...path, node].join(' -> ')}`);
    state.set(node, 'open');
    for (const next of graph[node] ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of Object.keys(graph)) visit(node, []);
}
assertAcyclic(FEATURES);

/** @param {string[]} names */
const oneOf = (names) => `(${names.map((name) => name.replace(/\./g, '\\.')).join('|')})`;
/** @param {number} levels */
const up = (levels) => `^(\\.\\./){${levels}}`;
/** @param {number} levels */
const TESTS_ONLY = (levels) => ({
  regex: `${up(levels)}(test|bench)(/|$)`,
  message: 'Production code imports nothing from test/ or bench/ (a spec beside the code may).',
});
/** @param {number} levels */
const NO_SIMULATOR = (levels) => ({
  regex: `${up(levels)}simulator(/|$)`,
  message:
    'src/ imports nothing from simulator/: the simulator judges the service and shares no code with it.',
});

/** Listeners name their event through OnAppEvent, which checks the payload's type; src/events/ wraps OnEvent once. */
const TYPED_LISTENERS = {
  regex: '^@nestjs/event-emitter$',
  importNames: ['OnEvent'],
  message: 'Listen with OnAppEvent (src/events/app-events.ts): the event name types the payload.',
};

/** @returns {import('eslint').Linter.Config[]} */
function boundaryConfigs() {
  /** @type {import('eslint').Linter.Config[]} */
  const configs = [];
  const features = Object.keys(FEATURES);
  for (let depth = 0; depth <= MAX_SUBFOLDER_DEPTH; depth++) {
    const toSrc = depth + 1; // from src/<folder>/<depth folders>/file.ts up to src/
    const shared = [
      {
        regex: `${up(toSrc)}(app\\.module|app\\.factory|main)$`,
        message: 'The composition root (src/*.ts) imports the folders; no folder imports it.',
      },
      NO_SIMULATOR(toSrc + 1),
      TESTS_ONLY(toSrc + 1),
    ];
    for (const folder of INFRASTRUCTURE) {
      configs.push({
        files: [`src/${folder}/${'*/'.repeat(depth)}*.ts`],
        ignores: ['**/*.spec.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  regex: `${up(toSrc)}${oneOf(features)}(/|$)`,
                  message: `src/${folder}/ is infrastructure: it imports no feature (see INFRASTRUCTURE in eslint.config.mjs).`,
                },
                ...shared,
                ...(folder === 'events' ? [] : [TYPED_LISTENERS]),
              ],
            },
          ],
        },
      });
    }
    for (const [feature, allowed] of Object.entries(FEATURES)) {
      const forbidden = features.filter((other) => other !== feature && !allowed.includes(other));
      const patterns = [...shared, TYPED_LISTENERS];
      if (forbidden.length > 0) {
        patterns.push({
          regex: `${up(toSrc)}${oneOf(forbidden)}(/|$)`,
          message: `src/${feature}/ may import only the features FEATURES in eslint.config.mjs lists for it (${allowed.join(', ') || 'none'}).`,
        });
      }
      if (allowed.length > 0) {
        patterns.push({
          regex: `${up(toSrc)}${oneOf(allowed)}/(?!${oneOf(PUBLIC_FOLDERS)}/)[^/]+/`,
          message: `Import another feature's public files only: its top level, ${PUBLIC_FOLDERS.map((f) => `${f}/`).join(', ')}.`,
        });
      }
      configs.push({
        files: [`src/${feature}/${'*/'.repeat(depth)}*.ts`],
        ignores: ['**/*.spec.ts'],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      });
    }
    configs.push({
      files: [`simulator/${'*/'.repeat(depth)}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `${up(depth + 1)}src(/|$)`,
                message:
                  'simulator/ imports nothing from src/: it checks the service on its own (its own signing, clock).',
              },
            ],
          },
        ],
      },
    });
  }
  configs.push({
    files: ['src/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_SIMULATOR(1), TESTS_ONLY(1)] }] },
  });
  return configs;
}

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'data/',
      'test-results/',
      '.tmp/',
      'eslint.config.mjs',
      // generated by openapi-typescript (npm run api:types)
      'test/client/api-schema.d.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig (src/config).' },
      ],
    },
  },
  {
    // Configuration is the one place that reads the environment; tests and tools set it up.
    files: [
      'src/config/**/*.ts',
      'src/main.ts',
      'src/**/*.cli.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'bench/**/*.js',
      'simulator/**/*.ts',
      'scripts/**/*.ts',
      'vitest.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...boundaryConfigs(),
  {
    // The console's browser code (docs/console.md): it runs in a browser, and it reaches the service through the
    // generated API client only. It imports preact, openapi-fetch, its own files and the generated types; nothing
    // else of the repository, so that it can never do what the API would not let any client do.
    files: ['src/console/web/*.ts', 'src/console/web/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\./\\.\\./test/client/api-schema$)',
              message:
                'The console talks to the service through the public API only: it imports its own files and the generated types (test/client/api-schema), nothing else from the repository.',
            },
          ],
        },
      ],
    },
  },
);
