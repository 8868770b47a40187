#!/usr/bin/env node
// Writes snippets/typescript.json from SNIPPETS in src/fixes/templates.ts (`--check`: exit 1 when stale).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { renderSnippets } = await tsImport('../src/fixes/templates.ts', import.meta.url);
const file = path.join(root, 'snippets/typescript.json');
const text = renderSnippets();
const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== text) { console.error('snippets/typescript.json is stale: run node scripts/gen-snippets.mjs'); process.exit(1); }
  console.log('snippets/typescript.json up to date');
} else if (current !== text) {
  fs.writeFileSync(file, text);
  console.log('wrote snippets/typescript.json');
} else console.log('snippets/typescript.json already up to date');
