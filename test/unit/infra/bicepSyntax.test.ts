/**
 * Every Bicep file parses: the grammar tree-sitter-bicep publishes (as WebAssembly, run by web-tree-sitter)
 * stands in for the compiler this machine cannot run. It checks syntax only — not types, scopes or
 * whether ARM accepts a property — and it predates the `extension` keyword (Bicep 0.30), so that one line is
 * blanked before parsing and checked on its own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Language, type Node, Parser } from 'web-tree-sitter';
import { PROJECT_ROOT } from '../../helpers/paths.js';

const INFRA = path.join(PROJECT_ROOT, 'infra');
const EXTENSION_LINE = /^extension [A-Za-z][A-Za-z0-9]*[ \t]*$/gm;

function bicepFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return bicepFiles(full);
    return entry.name.endsWith('.bicep') ? [full] : [];
  });
}

/** Where the tree has a syntax error or a token the parser had to invent. */
function syntaxErrors(node: Node): string[] {
  const here =
    node.type === 'ERROR' || node.isMissing ? [`line ${node.startPosition.row + 1}: ${node.isMissing ? `missing ${node.type}` : node.text.slice(0, 60)}`] : [];
  return [...here, ...node.children.flatMap((child) => (child === null ? [] : syntaxErrors(child)))];
}

describe('Bicep syntax', () => {
  let parser: Parser;

  before(async () => {
    await Parser.init();
    const grammar = createRequire(import.meta.url).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    parser = new Parser();
    parser.setLanguage(await Language.load(grammar));
  });

  it('finds a syntax error when there is one (the parser is really parsing)', () => {
    const tree = parser.parse("param name string\nresource x 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: name\n");
    assert.ok(tree !== null && syntaxErrors(tree.rootNode).length > 0);
  });

  for (const file of bicepFiles(INFRA)) {
    it(`${path.relative(PROJECT_ROOT, file)} parses`, () => {
      const source = readFileSync(file, 'utf8').replace(EXTENSION_LINE, (line) => ' '.repeat(line.length));
      const tree = parser.parse(source);
      assert.ok(tree !== null);
      assert.deepEqual(syntaxErrors(tree.rootNode), []);
    });
  }
});
