#!/usr/bin/env node
// Bundles every entry point with esbuild: dist/{extension,worker,cli,runtime}.js (Node, CJS) and
// dist/webview/ (browser, IIFE). `--watch` rebuilds on change, `--production` minifies.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeEntries = [
  ['src/extension/main.ts', 'extension'],
  ['src/worker/main.ts', 'worker'],
  ['src/cli/main.ts', 'cli'],
].filter(([src]) => fs.existsSync(path.join(root, src)));

const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const common = {
  bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root, legalComments: 'none',
  define: { TELLTALE_VERSION: JSON.stringify(version) },
};

const contexts = [];
contexts.push(await esbuild.context({
  ...common,
  entryPoints: Object.fromEntries(nodeEntries.map(([src, out]) => [out, src])),
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // pino's optional transports are loaded by path at run time; we never use them.
  mainFields: ['module', 'main'],
}));
if (fs.existsSync(path.join(root, 'webview/main.ts'))) {
  contexts.push(await esbuild.context({
    ...common,
    entryPoints: { main: 'webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }));
}

// The standalone dashboard page and its stylesheet (same-origin files only: the page's CSP allows nothing else).
const copyWebviewStatic = () => {
  if (!fs.existsSync(path.join(root, 'webview/index.html'))) return;
  fs.mkdirSync(path.join(root, 'dist/webview'), { recursive: true });
  for (const [from, to] of [['webview/index.html', 'index.html'], ['media/dashboard.css', 'dashboard.css']]) {
    if (fs.existsSync(path.join(root, from))) fs.copyFileSync(path.join(root, from), path.join(root, 'dist/webview', to));
  }
};
copyWebviewStatic();

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching…');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = path.join(root, 'dist/cli.js');
  if (fs.existsSync(cli)) {
    const text = fs.readFileSync(cli, 'utf8');
    if (!text.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + text);
    fs.chmodSync(cli, 0o755);
  }
}
