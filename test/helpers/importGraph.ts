import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/**
 * The project's import graph as the TypeScript compiler reads it, and a checker of layering rules over it.
 * Paths are relative to the project root with forward slashes (`src/ports/clock.ts`), so rules and
 * messages read the same on every machine.
 */

/** One module a file names: by `import`, `import type`, `export … from`, `import x = require()` or `import()`. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  /** What the specifier names: a project file, `node:<name>` for a built-in, or the package's name. */
  readonly target: string;
  readonly kind: 'file' | 'builtin' | 'package' | 'unresolved';
  readonly typeOnly: boolean;
}

/** Stands for every node built-in in a rule. */
export const NODE_BUILTINS = 'node built-ins';
/** Stands for every npm package in a rule. */
export const PACKAGES = 'packages';

/** A target in a rule: a folder (ending in `/`) or file of the project, or NODE_BUILTINS, or PACKAGES. */
export type RuleTarget = string;

export interface ImportRule {
  readonly name: string;
  /** The folders (ending in `/`) or files the rule is about. */
  readonly files: readonly string[];
  /** Files under `files` the rule leaves out. */
  readonly exceptFiles?: readonly string[];
  /** When given, the only targets those files may import. */
  readonly mayImportOnly?: readonly RuleTarget[];
  /** Targets those files may not import. */
  readonly mayNotImport?: readonly RuleTarget[];
}

/** Every `.ts` file under `folders` of `root`, by its project path, with its text. */
export function readSourceFiles(root: string, folders: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of folders) {
    for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const absolute = path.join(entry.parentPath, entry.name);
      files.set(toProjectPath(path.relative(root, absolute)), readFileSync(absolute, 'utf8'));
    }
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** The imports of every file, relative specifiers resolved against the other files the way NodeNext resolves them. */
export function importGraph(files: ReadonlyMap<string, string>): ImportEdge[] {
  return [...files].flatMap(([file, text]) =>
    moduleReferences(file, text).map(({ specifier, typeOnly }) => ({ from: file, specifier, typeOnly, ...resolve(file, specifier, files) })),
  );
}

/** Every module specifier a file's text names, and whether only types come of it. */
export function moduleReferences(fileName: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const references: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      references.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      references.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      references.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      references.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      references.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return references;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  // A bare `import './x.js'` runs the module.
  if (clause === undefined) return false;
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  // `import { type A, type B } from` brings in no value either (under verbatimModuleSyntax it still loads the module,
  // but it is a dependency on types alone).
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

function resolve(from: string, specifier: string, files: ReadonlyMap<string, string>): Pick<ImportEdge, 'target' | 'kind'> {
  if (specifier.startsWith('.')) {
    const named = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    const candidates = [named.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), named, `${named}.ts`, `${named}/index.ts`];
    const found = candidates.find((candidate) => files.has(candidate));
    return found === undefined ? { target: named, kind: 'unresolved' } : { target: found, kind: 'file' };
  }
  if (isBuiltin(specifier)) return { target: specifier.startsWith('node:') ? specifier : `node:${specifier}`, kind: 'builtin' };
  const [scopeOrName = '', name] = specifier.split('/');
  return { target: scopeOrName.startsWith('@') && name !== undefined ? `${scopeOrName}/${name}` : scopeOrName, kind: 'package' };
}

function toProjectPath(relative: string): string {
  return relative.split(path.sep).join('/');
}

function matches(target: RuleTarget, edge: ImportEdge): boolean {
  if (target === NODE_BUILTINS) return edge.kind === 'builtin';
  if (target === PACKAGES) return edge.kind === 'package';
  if (edge.kind !== 'file' && edge.kind !== 'unresolved') return false;
  return target.endsWith('/') ? edge.target.startsWith(target) : edge.target === target;
}

function isUnder(file: string, places: readonly string[]): boolean {
  return places.some((place) => (place.endsWith('/') ? file.startsWith(place) : file === place));
}

/** Each import that breaks the rule, as `file → target` (with `(type)` for a type-only import), in file order. */
export function violationsOf(rule: ImportRule, edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((edge) => isUnder(edge.from, rule.files) && !isUnder(edge.from, rule.exceptFiles ?? []))
    .filter(
      (edge) =>
        (rule.mayImportOnly !== undefined && !rule.mayImportOnly.some((target) => matches(target, edge))) ||
        (rule.mayNotImport !== undefined && rule.mayNotImport.some((target) => matches(target, edge))),
    )
    .map(describeEdge);
}

export function describeEdge(edge: ImportEdge): string {
  return `${edge.from} → ${edge.target}${edge.typeOnly ? ' (type)' : ''}`;
}

/** The message an assertion fails with: the rule and every offending import, one a line. */
export function violationReport(rule: ImportRule, violations: readonly string[]): string {
  return `${rule.name}: ${violations.length} offending import(s)\n  ${violations.join('\n  ')}`;
}
