/**
 * Builds the web console into dist/console: one bundled, minified script and one stylesheet, named by
 * content hash under assets/, and index.html naming them. Run by `npm run build` (and so by `npm install`'s
 * prepare); the hosts serve the result as it is (src/host/consoleFiles.ts).
 *
 *   node --import tsx scripts/buildConsole.ts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ConsoleBuild {
  readonly directory: string;
  /** Bytes of each file the page loads, and gzipped. */
  readonly sizes: Readonly<Record<string, { readonly bytes: number; readonly gzipped: number }>>;
}

export async function buildConsole(out = path.join(ROOT, 'dist', 'console')): Promise<ConsoleBuild> {
  const bundled = await build({
    entryPoints: [path.join(ROOT, 'console', 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const script = bundled.outputFiles[0];
  if (script === undefined) throw new Error('esbuild wrote no script');
  const styles = Buffer.concat([
    readFileSync(path.join(ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.min.css')),
    readFileSync(path.join(ROOT, 'console', 'styles.css')),
  ]);
  const named = (base: string, extension: string, content: Uint8Array) =>
    `${base}-${createHash('sha256').update(content).digest('hex').slice(0, 12)}${extension}`;
  const scriptName = named('app', '.js', script.contents);
  const stylesName = named('app', '.css', styles);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'assets'), { recursive: true });
  writeFileSync(path.join(out, 'assets', scriptName), script.contents);
  writeFileSync(path.join(out, 'assets', stylesName), styles);
  const page = readFileSync(path.join(ROOT, 'console', 'index.html'), 'utf8')
    .replace('{{script}}', scriptName)
    .replace('{{styles}}', stylesName);
  writeFileSync(path.join(out, 'index.html'), page);
  const { gzipSync } = await import('node:zlib');
  const sizeOf = (content: Uint8Array) => ({ bytes: content.byteLength, gzipped: gzipSync(content).byteLength });
  return {
    directory: out,
    sizes: { 'index.html': sizeOf(Buffer.from(page)), [scriptName]: sizeOf(script.contents), [stylesName]: sizeOf(styles) },
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { directory, sizes } = await buildConsole();
  const gzipped = Object.values(sizes).reduce((total, size) => total + size.gzipped, 0);
  process.stderr.write(`built the console in ${path.relative(ROOT, directory)}: ${Math.round(gzipped / 1024)} KB gzipped\n`);
}
