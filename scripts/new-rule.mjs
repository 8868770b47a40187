#!/usr/bin/env node
// `npm run new:rule -- <id>`: scaffolds a rule (STYLE.md §9): src/analysis/rules/<id>.ts in the
// `nursery` category with a header to fill in, test/analysis/rules/<id>.test.ts, and the import and
// entry in src/analysis/rules/index.ts, both kept sorted by id. Cases first, then code, then `npm run gen`.
// `--root <dir>` works on another checkout (used by the tests).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ids = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root') root = path.resolve(args[++i] ?? '.');
  else ids.push(args[i]);
}
const fail = (msg) => { console.error(`new:rule: ${msg}`); process.exit(2); };
if (ids.length !== 1) fail('usage: npm run new:rule -- <rule-id>   (kebab-case noun for the problem, e.g. pii-in-log)');
const id = ids[0];
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) fail(`'${id}' is not a kebab-case id (a-z, 0-9 and single dashes)`);
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

const ruleRel = `src/analysis/rules/${id}.ts`;
const testRel = `test/analysis/rules/${id}.test.ts`;
const indexRel = 'src/analysis/rules/index.ts';
for (const rel of [ruleRel, testRel]) if (fs.existsSync(path.join(root, rel))) fail(`${rel} already exists`);
const indexAbs = path.join(root, indexRel);
if (!fs.existsSync(indexAbs)) fail(`${indexRel} not found under ${root}`);

// index.ts: `import x from './id';` lines and `  x,` entries of RULES, both sorted by id.
const index = fs.readFileSync(indexAbs, 'utf8').split('\n');
const IMPORT = /^import (\w+) from '\.\/([a-z0-9-]+)';$/;
const imports = index.map((l, i) => ({ i, m: IMPORT.exec(l) })).filter((x) => x.m);
if (!imports.length) fail(`${indexRel}: no rule imports found`);
if (imports.some((x) => x.m[2] === id)) fail(`${indexRel} already imports ./${id}`);
const idOf = new Map(imports.map((x) => [x.m[1], x.m[2]]));
if (idOf.has(camel)) fail(`${indexRel} already has a binding named ${camel}`);
const nextImport = imports.find((x) => x.m[2] > id);
const importAt = nextImport ? nextImport.i : imports[imports.length - 1].i + 1;
index.splice(importAt, 0, `import ${camel} from './${id}';`);
const open = index.findIndex((l) => /^export const RULES\b.*\[\s*$/.test(l));
if (open < 0) fail(`${indexRel}: 'export const RULES … = [' not found`);
const close = index.findIndex((l, i) => i > open && /^\];?\s*$/.test(l));
if (close < 0) fail(`${indexRel}: end of RULES not found`);
let entryAt = close;
for (let i = open + 1; i < close; i++) {
  const name = /^\s*(\w+),?\s*$/.exec(index[i])?.[1];
  if (name && (idOf.get(name) ?? name) > id) { entryAt = i; break; }
}
index.splice(entryAt, 0, `  ${camel},`);

const ruleText = `/**
 * Finds … (what the rule reports, concretely).
 * Why: … (what goes wrong in production when this is ignored).
 * @invalid
 * \`\`\`ts
 * // code that is reported; mark the finding's range under its line:
 * //^^^^ message
 * \`\`\`
 * @valid
 * \`\`\`ts
 * // a look-alike that must not be reported
 * \`\`\`
 */
import { ts } from '../ts';
import { defineRule } from '../rule';

export default defineRule({
  id: '${id}',
  category: 'nursery',
  severity: 'warning',
  description: '…',
  visit: {
    [ts.SyntaxKind.CallExpression](call, ctx) {
      void call;
      void ctx;
    },
  },
});
`;
const testText = `import rule from '../../../src/analysis/rules/${id}';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule ${id}', () => {
  it('reports …', () => checkRule(rule, {
    valid: [
      ts\`
        // at least 6 valid cases, the tricky look-alikes first
      \`,
    ],
    invalid: [
      ts\`
        // at least 6 invalid cases; mark each finding under its line
      \`,
    ],
  }));
});
`;
for (const [rel, text] of [[ruleRel, ruleText], [testRel, testText], [indexRel, index.join('\n')]]) {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  console.log(`${rel === indexRel ? 'updated' : 'created'} ${rel}`);
}
console.log(`next: write the cases in ${testRel}, then the rule, then \`npm run gen\``);
