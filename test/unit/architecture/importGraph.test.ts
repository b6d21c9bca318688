import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ImportRule,
  importGraph,
  moduleReferences,
  NODE_BUILTINS,
  PACKAGES,
  readSourceFiles,
  violationReport,
  violationsOf,
} from '../../helpers/importGraph.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';

/** The core: what Lure knows about records, detections and alerts, whatever hosts it or stores its state. */
const CORE = ['src/normalize/', 'src/detections/', 'src/correlation/', 'src/alerting/', 'src/keys/'];

/**
 * The layering, as the import graph must show it. Type-only imports count: a port that names an adapter's
 * type still depends on it. Targets are folders (ending in `/`), NODE_BUILTINS or PACKAGES.
 */
const RULES: readonly ImportRule[] = [
  {
    name: 'src/domain imports only src/domain',
    files: ['src/domain/'],
    mayImportOnly: ['src/domain/'],
  },
  {
    name: 'src/ports imports only src/domain, src/ports and node built-ins',
    files: ['src/ports/'],
    mayImportOnly: ['src/domain/', 'src/ports/', NODE_BUILTINS],
  },
  {
    name: 'nothing in src imports src/host (outside src/host itself)',
    files: ['src/'],
    exceptFiles: ['src/host/'],
    mayNotImport: ['src/host/'],
  },
  {
    name: 'src/app (the use cases) imports no src/adapters: hosts choose adapters',
    files: ['src/app/'],
    mayNotImport: ['src/adapters/'],
  },
  {
    name: 'src/decoys (the decoy kinds) imports no src/adapters, src/app, src/host or src/config',
    files: ['src/decoys/'],
    mayNotImport: ['src/adapters/', 'src/app/', 'src/host/', 'src/config/'],
  },
  {
    name: 'src/config imports no src/adapters, src/app or src/host: settings are parsed before anything is built',
    files: ['src/config/'],
    mayNotImport: ['src/adapters/', 'src/app/', 'src/host/'],
  },
  {
    name: 'src/demo imports only src/domain, src/demo, packages and node built-ins',
    files: ['src/demo/'],
    mayImportOnly: ['src/domain/', 'src/demo/', PACKAGES, NODE_BUILTINS],
  },
  {
    name: 'src/adapters imports no src/app',
    files: ['src/adapters/'],
    mayNotImport: ['src/app/'],
  },
  {
    name: 'the core imports only src/domain, src/ports, src/decoys, the core, packages and node built-ins (no adapter, app, host or config)',
    files: CORE,
    mayImportOnly: ['src/domain/', 'src/ports/', 'src/decoys/', ...CORE, PACKAGES, NODE_BUILTINS],
  },
  {
    name: 'functions imports only src/host, packages and node built-ins',
    files: ['functions/'],
    mayImportOnly: ['src/host/', PACKAGES, NODE_BUILTINS],
  },
];

const EDGES = importGraph(readSourceFiles(PROJECT_ROOT, ['src', 'functions']));

describe('the import graph keeps the layering', () => {
  for (const rule of RULES) {
    it(rule.name, () => {
      const violations = violationsOf(rule, EDGES);
      assert.deepEqual(violations, [], violationReport(rule, violations));
    });
  }

  it('resolves every relative import to a file of the project (else a rule could miss it)', () => {
    const unresolved = EDGES.filter((edge) => edge.kind === 'unresolved').map((edge) => `${edge.from} → ${edge.specifier}`);
    assert.deepEqual(unresolved, []);
  });

  it('reads the rules over folders that exist (a renamed folder would leave a rule checking nothing)', () => {
    const folders = new Set(EDGES.map((edge) => edge.from.replace(/[^/]*$/, '')));
    const present = (place: string) => [...folders].some((folder) => folder.startsWith(place));
    const missing = RULES.flatMap((rule) => rule.files).filter((place) => !present(place));
    assert.deepEqual(missing, []);
  });
});

describe('the import graph checker', () => {
  const files = new Map([
    ['src/domain/alerts.ts', "import { z } from 'zod';\nexport type Alert = { id: string };"],
    [
      'src/ports/alertStore.ts',
      "import type { Alert } from '../domain/alerts.js';\nexport type { Incident } from '../correlation/index.js';\nimport { type Clock } from '../app/clock.js';",
    ],
    ['src/correlation/index.ts', "import './setup.js';\nexport * from './fold.js';\nconst lazy = () => import('../adapters/table.js');"],
    [
      'src/correlation/fold.ts',
      "import crypto from 'crypto';\nimport x = require('../config/settings.js');\nexport type Load = typeof import('../config/settings.js');",
    ],
    ['src/correlation/setup.ts', ''],
    ['src/adapters/table.ts', "import { TableClient } from '@azure/data-tables';\nimport { run } from '../app/index.js';"],
    ['src/app/index.ts', "export { run } from './run.js';\nimport { missing } from './gone.js';"],
    ['src/app/run.ts', ''],
    ['src/app/clock.ts', ''],
    ['src/config/settings.ts', ''],
  ]);
  const edges = importGraph(files);

  it('reads every form of import and export, type-only or not, and resolves .js, extensionless and /index specifiers', () => {
    assert.deepEqual(
      edges.map((edge) => `${edge.from} → ${edge.target} [${edge.kind}${edge.typeOnly ? ', type' : ''}]`),
      [
        'src/domain/alerts.ts → zod [package]',
        'src/ports/alertStore.ts → src/domain/alerts.ts [file, type]',
        'src/ports/alertStore.ts → src/correlation/index.ts [file, type]',
        'src/ports/alertStore.ts → src/app/clock.ts [file, type]',
        'src/correlation/index.ts → src/correlation/setup.ts [file]',
        'src/correlation/index.ts → src/correlation/fold.ts [file]',
        'src/correlation/index.ts → src/adapters/table.ts [file]',
        'src/correlation/fold.ts → node:crypto [builtin]',
        'src/correlation/fold.ts → src/config/settings.ts [file]',
        'src/correlation/fold.ts → src/config/settings.ts [file, type]',
        'src/adapters/table.ts → @azure/data-tables [package]',
        'src/adapters/table.ts → src/app/index.ts [file]',
        'src/app/index.ts → src/app/run.ts [file]',
        'src/app/index.ts → src/app/gone.js [unresolved]',
      ],
    );
    assert.deepEqual(
      moduleReferences('a.ts', "export { a } from './a';\nimport b from './b/index.js';").map((reference) => reference.specifier),
      ['./a', './b/index.js'],
    );
  });

  it('reports every import outside an allow-list, type-only ones included', () => {
    const rule: ImportRule = { name: 'ports import only domain', files: ['src/ports/'], mayImportOnly: ['src/domain/'] };
    const violations = violationsOf(rule, edges);
    assert.deepEqual(violations, ['src/ports/alertStore.ts → src/correlation/index.ts (type)', 'src/ports/alertStore.ts → src/app/clock.ts (type)']);
    assert.match(
      violationReport(rule, violations),
      /^ports import only domain: 2 offending import\(s\)\n {2}src\/ports\/alertStore\.ts → src\/correlation\/index\.ts \(type\)\n/,
    );
  });

  it('reports every import of a forbidden folder, and leaves the excepted files alone', () => {
    const rule: ImportRule = { name: 'nothing imports app', files: ['src/'], exceptFiles: ['src/app/'], mayNotImport: ['src/app/'] };
    assert.deepEqual(violationsOf(rule, edges), ['src/ports/alertStore.ts → src/app/clock.ts (type)', 'src/adapters/table.ts → src/app/index.ts']);
  });

  it('tells node built-ins from packages', () => {
    const rule: ImportRule = { name: 'domain and core import no packages', files: ['src/domain/', 'src/correlation/'], mayImportOnly: ['src/', NODE_BUILTINS] };
    assert.deepEqual(violationsOf(rule, edges), ['src/domain/alerts.ts → zod']);
    assert.deepEqual(violationsOf({ ...rule, mayImportOnly: ['src/', PACKAGES] }, edges), ['src/correlation/fold.ts → node:crypto']);
  });

  it('reports nothing for a graph that keeps the rule', () => {
    assert.deepEqual(violationsOf({ name: 'adapters import no config', files: ['src/adapters/'], mayNotImport: ['src/config/'] }, edges), []);
  });
});
