#!/usr/bin/env node
// Generated files, from their sources (rust-analyzer's codegen habit):
//   docs/rules/<id>.md          from each rule's JSDoc header (what, why, options, examples)
//   README.md                   the rule table between <!-- rules:start --> and <!-- rules:end -->
//   telltale.config.schema.json from src/config/schema.ts
// `npm run gen` writes them; `npm run gen -- --check` writes nothing, lists stale files and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((a) => a !== '--check');
if (unknown.length) {
  console.error(`gen: unknown argument ${unknown[0]} (usage: npm run gen [-- --check])`);
  process.exit(2);
}

let lib;
try {
  lib = await tsImport('./rule-docs.ts', import.meta.url);
} catch (err) {
  console.error(`gen: cannot load the rules: ${err?.stack ?? err}`);
  process.exit(2);
}

let generated;
try {
  generated = lib.generate(root);
} catch (err) {
  console.error(`gen: ${err.message}`);
  process.exit(2);
}
const stale = lib.staleFiles(root, generated);

if (check) {
  if (stale.length) {
    console.error(`gen: ${stale.length} generated file(s) out of date; run \`npm run gen\`:`);
    for (const f of stale) console.error(`  ${f}`);
    process.exit(1);
  }
  console.log(`gen: ${generated.size} generated files up to date`);
} else {
  for (const rel of stale) {
    const abs = path.join(root, rel);
    const content = generated.get(rel);
    if (content === undefined) fs.rmSync(abs, { force: true });
    else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    console.log(`${content === undefined ? 'deleted' : 'wrote'} ${rel}`);
  }
  if (!stale.length) console.log(`gen: ${generated.size} generated files already up to date`);
}
