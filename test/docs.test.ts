/**
 * The rule docs are the rules' JSDoc headers (STYLE.md §3): every rule has one (what, why, at least
 * one invalid and one valid example), its file is named after its id, every example runs as a test
 * (an `@invalid` one gives exactly its marked findings, a `@valid` one none), and the generated
 * files (`npm run gen`) are up to date.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from '../src/analysis/rules';
import { headerOf, parseHeader, readRuleDoc, renderReadme, renderRulePage, type RuleExample } from '../scripts/rule-docs';
import { checkRule } from './helpers/rules';

const ROOT = path.resolve(__dirname, '..');
const FILE_FOR_LANG: Record<string, string> = { ts: '/src/index.ts', tsx: '/src/index.tsx', js: '/src/index.js', jsx: '/src/index.jsx', mjs: '/src/index.mjs', cjs: '/src/index.cjs' };

describe('rule docs', () => {
  it('every rule file is named after its id and default-exports that rule', () => {
    const files = fs.readdirSync(path.join(ROOT, 'src/analysis/rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), RULES.map((r) => r.id).sort(), 'rule files and registered rules differ');
    for (const rule of RULES) {
      const mod = require(path.join(ROOT, 'src/analysis/rules', `${rule.id}.ts`)) as { default: unknown };
      assert.equal(mod.default, rule, `src/analysis/rules/${rule.id}.ts does not default-export rule ${rule.id}`);
      assert.match(rule.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `rule id ${rule.id} is not kebab-case`);
    }
    const ids = RULES.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort(), 'RULES in src/analysis/rules/index.ts is not sorted by id');
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      it('has a header with what, why, invalid and valid examples', () => {
        const doc = readRuleDoc(ROOT, rule.id);
        // (the new:rule scaffold's placeholders start with '…')
        assert.ok(doc.what.length >= 20 && !/^Finds …/.test(doc.what), `${rule.id}: the header does not say what the rule finds`);
        assert.ok(doc.why.length >= 20 && !/^…/.test(doc.why), `${rule.id}: the header has no "Why:" paragraph`);
        assert.ok(doc.invalid.length >= 1, `${rule.id}: no @invalid example`);
        assert.ok(doc.valid.length >= 1, `${rule.id}: no @valid example`);
        assert.ok(rule.description && rule.description !== '…', `${rule.id}: no description`);
      });

      it('its examples run: @invalid gives exactly the marked findings, @valid none', () => {
        const doc = readRuleDoc(ROOT, rule.id);
        const run = (e: RuleExample, valid: boolean) => {
          const defaultFile = FILE_FOR_LANG[e.lang] ?? '/src/index.ts';
          try {
            checkRule(rule, valid ? { valid: [e.code], defaultFile } : { invalid: [e.code], defaultFile });
          } catch (err) {
            (err as Error).message = `${rule.id} @${valid ? 'valid' : 'invalid'} example${e.caption ? ` (${e.caption})` : ''}: ${(err as Error).message}`;
            throw err;
          }
        };
        for (const e of doc.invalid) run(e, false);
        for (const e of doc.valid) run(e, true);
      });
    });
  }
});

describe('docs generator', () => {
  it('parses a header into what, why, options, notes and captioned examples', () => {
    const source = [
      '/**',
      ' * Finds widgets that are',
      ' * never closed.',
      ' * Why: they leak.',
      ' * @option names Extra widget names',
      ' *   to check.',
      ' * @notes Not reported: closed ones.',
      ' * @invalid the plain case',
      ' * ```ts',
      ' * open();',
      ' * //^^^^ Widget never closed',
      ' * ```',
      ' * @valid',
      ' * ```js',
      ' *   open().close();',
      ' * ```',
      ' */',
      "import x from 'y';",
      'export default x;',
    ].join('\n');
    const doc = parseHeader(headerOf(source)!);
    assert.equal(doc.what, 'Finds widgets that are\nnever closed.');
    assert.equal(doc.why, 'they leak.');
    assert.deepEqual(doc.options, [{ name: 'names', description: 'Extra widget names to check.' }]);
    assert.equal(doc.notes, 'Not reported: closed ones.');
    assert.deepEqual(doc.invalid, [{ code: 'open();\n//^^^^ Widget never closed\n', lang: 'ts', caption: 'the plain case' }]);
    assert.deepEqual(doc.valid, [{ code: '  open().close();\n', lang: 'js' }]);
  });

  it('rejects malformed headers with the reason', () => {
    assert.throws(() => parseHeader('Finds x.\n@invalid\n```ts\nopen();'), /unterminated code block/);
    assert.throws(() => parseHeader('Finds x.\n@example\n'), /unknown tag @example/);
    assert.throws(() => parseHeader('Finds x.\n```ts\nx\n```'), /outside @invalid\/@valid/);
  });

  it('renders a page with category, severity, options and examples, and a README table between markers', () => {
    const rule = RULES[0];
    const page = renderRulePage({ ...rule, defaultOptions: { limit: 3 } }, {
      what: 'Finds x.', why: 'Because.', options: [{ name: 'limit', description: 'How many.' }],
      invalid: [{ code: 'bad();\n', lang: 'ts' }], valid: [{ code: 'good();\n', lang: 'ts', caption: 'fine' }],
    });
    assert.match(page, new RegExp(`^# ${rule.id}\n`));
    assert.match(page, new RegExp(`\\| ${rule.category} \\| ${rule.severity} \\|`));
    assert.match(page, /\| `limit` \| `3` \| How many\. \|/);
    assert.match(page, /## Invalid\n\n```ts\nbad\(\);\n```/);
    assert.match(page, /## Valid\n\nfine\n\n```ts\ngood\(\);\n```/);
    const readme = renderReadme('# T\n\nintro\n\n## Development\n\nstuff\n', RULES);
    assert.match(readme, /## Rules\n[\s\S]*<!-- rules:start -->\n\| rule \|[\s\S]*<!-- rules:end -->\n\n## Development/);
    for (const r of RULES) assert.ok(readme.includes(`[\`${r.id}\`](docs/rules/${r.id}.md)`), r.id);
    // idempotent: re-rendering replaces the table between the markers only
    assert.equal(renderReadme(readme, RULES), readme);
  });

  it('npm run gen -- --check is clean', function () {
    this.timeout(60000);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 55000 });
    assert.equal(r.status, 0, `gen --check failed:\n${r.stdout}${r.stderr}`);
  });

  it('new:rule scaffolds a nursery rule, its test and a sorted index entry', function () {
    this.timeout(30000);
    const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tt-newrule-'));
    try {
      fs.mkdirSync(path.join(tmp, 'src/analysis/rules'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'src/analysis/rules/index.ts'), path.join(tmp, 'src/analysis/rules/index.ts'));
      const run = (id: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts/new-rule.mjs'), '--root', tmp, id], { encoding: 'utf8' });
      const ok = run('aaa-widget-leak');
      assert.equal(ok.status, 0, ok.stderr);
      const rule = fs.readFileSync(path.join(tmp, 'src/analysis/rules/aaa-widget-leak.ts'), 'utf8');
      assert.match(rule, /id: 'aaa-widget-leak'/);
      assert.match(rule, /category: 'nursery'/);
      assert.ok(fs.existsSync(path.join(tmp, 'test/analysis/rules/aaa-widget-leak.test.ts')));
      const index = fs.readFileSync(path.join(tmp, 'src/analysis/rules/index.ts'), 'utf8');
      const imports = [...index.matchAll(/^import \w+ from '\.\/([a-z0-9-]+)';$/gm)].map((m) => m[1]);
      assert.equal(imports[0], 'aaa-widget-leak');
      assert.deepEqual(imports, [...imports].sort());
      assert.match(index, /\[\n {2}aaaWidgetLeak,\n/);
      assert.equal(run('aaa-widget-leak').status, 2, 'an existing rule is refused');
      assert.equal(run('Bad_Id').status, 2, 'a non-kebab-case id is refused');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
