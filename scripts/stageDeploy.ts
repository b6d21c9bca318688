/**
 * Stages the Function App package in `.deploy/`: the build, host.json, the lockfile, and a package.json
 * with the runtime dependencies only — no scripts (so no `prepare` build where TypeScript is absent), no dev
 * dependencies — and installs those. `azd package` (azure.yaml, `dist: .deploy`) stages it with
 * `--no-install`, as azd leaves node_modules out and Flex installs them; a manual zip deployment ships the
 * folder with its node_modules.
 *
 *   node --import tsx scripts/stageDeploy.ts [--no-install]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package.json fields the Functions host and npm need at run time. */
const RUNTIME_FIELDS = ['name', 'version', 'description', 'private', 'type', 'main', 'engines', 'dependencies'] as const;

export interface StageOptions {
  /** The project (where package.json and dist/ are). */
  readonly root: string;
  /** Where the package goes (replaced). */
  readonly out: string;
  /** Run `npm ci --omit=dev` in it (the package ships its node_modules). */
  readonly install: boolean;
}

export function stageDeploy({ root, out, install }: StageOptions): void {
  for (const required of ['dist', 'host.json', 'package.json', 'package-lock.json']) {
    if (!existsSync(path.join(root, required))) throw new Error(`${required} is missing in ${root}: run npm ci and npm run build first`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(path.join(root, 'dist'), path.join(out, 'dist'), { recursive: true });
  for (const file of ['host.json', 'package-lock.json']) cpSync(path.join(root, file), path.join(out, file));
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const runtime = Object.fromEntries(RUNTIME_FIELDS.filter((field) => field in manifest).map((field) => [field, manifest[field]]));
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
  if (install) execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  stageDeploy({ root, out: path.join(root, '.deploy'), install: !process.argv.includes('--no-install') });
  process.stderr.write('staged the Function App package in .deploy/\n');
}
