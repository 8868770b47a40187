/**
 * Rule documentation from the rules' own JSDoc headers (STYLE.md §3): parsing the header,
 * rendering `docs/rules/<id>.md`, the README rule table and the config JSON Schema. Used by
 * `scripts/gen.mjs` (through tsx) and by `test/docs.test.ts`, so what is checked is what is shipped.
 *
 * Header format (the comment before the rule's `export default`, or the file's first JSDoc):
 *
 *   /**
 *    * Finds … (what; one or more paragraphs)
 *    * Why: … (why; runs until the first tag)
 *    * @option name Description of an option (its default comes from `defaultOptions`)
 *    * @notes What is deliberately not reported, limits.
 *    * @invalid optional caption
 *    * ```ts
 *    * code with //^^^ message marks
 *    * ```
 *    * @valid optional caption
 *    * ```ts
 *    * code
 *    * ```
 *    *\/
 */
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from '../src/analysis/rules';
import type { AnyRule } from '../src/analysis/rule';
import { CONFIG_SCHEMA } from '../src/config/schema';

export interface RuleExample {
  /** Code as written in the header, marks included. */
  code: string;
  /** Fence language: ts, js, tsx… */
  lang: string;
  caption?: string;
}

export interface RuleDoc {
  what: string;
  why: string;
  notes?: string;
  options: Array<{ name: string; description: string }>;
  invalid: RuleExample[];
  valid: RuleExample[];
}

export const RULES_DIR = 'src/analysis/rules';
export const DOCS_DIR = 'docs/rules';
export const SCHEMA_FILE = 'telltale.config.schema.json';
export const README = 'README.md';
export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

/** The header comment's text (without `/**`, `*\/` and the leading ` * `), or undefined. */
export function headerOf(source: string): string | undefined {
  const comments = [...source.matchAll(/\/\*\*([\s\S]*?)\*\//g)];
  if (!comments.length) return undefined;
  const exportAt = source.search(/^export default\b/m);
  // The JSDoc nearest before `export default`, else the first one in the file.
  let chosen = comments[0];
  if (exportAt >= 0) {
    const before = comments.filter((m) => m.index! < exportAt);
    const last = before[before.length - 1];
    if (last && /^\s*$/.test(source.slice(last.index! + last[0].length, exportAt))) chosen = last;
  }
  return chosen[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+/, '')
    .replace(/\n+$/, '');
}

/** Parses a header (see the file comment). Throws an Error naming the problem for malformed headers. */
export function parseHeader(header: string): RuleDoc {
  const what: string[] = [];
  const why: string[] = [];
  const notes: string[] = [];
  const options: RuleDoc['options'] = [];
  const invalid: RuleExample[] = [];
  const valid: RuleExample[] = [];
  let section: 'what' | 'why' | 'notes' | 'invalid' | 'valid' | 'option' = 'what';
  let caption: string | undefined;
  let fence: { lang: string; lines: string[] } | undefined;
  for (const line of header.split('\n')) {
    if (fence) {
      if (/^```\s*$/.test(line)) {
        const list = section === 'invalid' ? invalid : valid;
        list.push({ code: fence.lines.join('\n') + '\n', lang: fence.lang, ...(caption ? { caption } : {}) });
        fence = undefined;
        caption = undefined;
      } else fence.lines.push(line);
      continue;
    }
    const tag = /^@(\w+)\s*(.*)$/.exec(line);
    if (tag) {
      const [, name, rest] = tag;
      if (name === 'invalid' || name === 'valid') { section = name; caption = rest.trim() || undefined; continue; }
      if (name === 'notes') { section = 'notes'; if (rest.trim()) notes.push(rest.trim()); continue; }
      if (name === 'option') {
        const m = /^(\S+)\s+([\s\S]*)$/.exec(rest.trim());
        if (!m) throw new Error(`@option needs a name and a description: '${line}'`);
        options.push({ name: m[1], description: m[2] });
        section = 'option';
        continue;
      }
      throw new Error(`unknown tag @${name}`);
    }
    const open = /^```(\w*)\s*$/.exec(line);
    if (open) {
      if (section !== 'invalid' && section !== 'valid') throw new Error('a code block outside @invalid/@valid');
      fence = { lang: open[1] || 'ts', lines: [] };
      continue;
    }
    if (section === 'what') {
      const m = /^Why:\s*(.*)$/.exec(line);
      if (m) { section = 'why'; why.push(m[1]); } else what.push(line);
    } else if (section === 'why') why.push(line);
    else if (section === 'notes') notes.push(line);
    else if (section === 'option') {
      if (line.trim()) options[options.length - 1].description += ' ' + line.trim();
    } else if (line.trim()) {
      // text after a tag, before its code block: part of the caption
      caption = caption ? `${caption} ${line.trim()}` : line.trim();
    }
  }
  if (fence) throw new Error('unterminated code block');
  const para = (lines: string[]) => lines.join('\n').replace(/^\n+|\n+$/g, '');
  const doc: RuleDoc = { what: para(what), why: para(why), options, invalid, valid };
  const n = para(notes);
  if (n) doc.notes = n;
  return doc;
}

export function ruleFile(root: string, id: string): string {
  return path.join(root, RULES_DIR, `${id}.ts`);
}

export function readRuleDoc(root: string, id: string): RuleDoc {
  const file = ruleFile(root, id);
  const header = headerOf(fs.readFileSync(file, 'utf8'));
  if (!header) throw new Error(`${path.relative(root, file)}: no JSDoc header`);
  try {
    return parseHeader(header);
  } catch (err) {
    throw new Error(`${path.relative(root, file)}: ${(err as Error).message}`);
  }
}

/** Joins hard-wrapped header lines into paragraphs (blank lines separate paragraphs; lists stay lists). */
function prose(text: string): string {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    if (lines.some((l) => /^\s*([-*]|\d+\.)\s/.test(l))) out.push(lines.join('\n'));
    else out.push(lines.map((l) => l.trim()).join(' '));
  }
  return out.join('\n\n');
}

function example(e: RuleExample): string {
  return `${e.caption ? `${prose(e.caption)}\n\n` : ''}\`\`\`${e.lang}\n${e.code}\`\`\``;
}

export function renderRulePage(rule: AnyRule, doc: RuleDoc): string {
  const parts: string[] = [];
  parts.push(`# ${rule.id}`);
  parts.push(`<!-- Generated by \`npm run gen\` from the header of ${RULES_DIR}/${rule.id}.ts; edit that header, not this file. -->`);
  const fixes = rule.fixes?.length ? rule.fixes.map((f) => `\`${f}\``).join(', ') : 'none';
  parts.push(`| category | default severity | fixes |\n| --- | --- | --- |\n| ${rule.category} | ${rule.severity} | ${fixes} |`);
  parts.push(`**${rule.description}.**`);
  parts.push(prose(doc.what));
  const why = prose(doc.why);
  parts.push(`## Why\n\n${why.charAt(0).toUpperCase()}${why.slice(1)}`);
  if (doc.options.length || (rule.defaultOptions && Object.keys(rule.defaultOptions).length)) {
    const defaults = (rule.defaultOptions ?? {}) as Record<string, unknown>;
    const names = [...new Set([...doc.options.map((o) => o.name), ...Object.keys(defaults)])];
    const rows = names.map((n) => {
      const d = doc.options.find((o) => o.name === n)?.description ?? '';
      const def = n in defaults ? `\`${JSON.stringify(defaults[n])}\`` : '';
      return `| \`${n}\` | ${def.replace(/\|/g, '\\|')} | ${d.replace(/\|/g, '\\|')} |`;
    });
    parts.push(`## Options\n\nSet in \`telltale.config.json\` under \`rules.${rule.id}.options\`.\n\n| option | default | description |\n| --- | --- | --- |\n${rows.join('\n')}`);
  }
  parts.push(`## Invalid\n\n${doc.invalid.map(example).join('\n\n')}`);
  parts.push(`## Valid\n\n${doc.valid.map(example).join('\n\n')}`);
  if (doc.notes) parts.push(`## Notes\n\n${prose(doc.notes)}`);
  parts.push(`## Configuration\n\n\`\`\`json\n{ "rules": { "${rule.id}": "error" } }\n\`\`\`\n\nSuppress one finding with \`// telltale-ignore-next-line ${rule.id} -- reason\`, or a whole file with \`// telltale-ignore-file ${rule.id}\`.`);
  return parts.join('\n\n') + '\n';
}

export function renderRuleTable(rules: readonly AnyRule[]): string {
  const rows = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => `| [\`${r.id}\`](${DOCS_DIR}/${r.id}.md) | ${r.category} | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`);
  return `| rule | category | default severity | finds |\n| --- | --- | --- | --- |\n${rows.join('\n')}`;
}

/** README with the rule table between the markers (a "Rules" section is added before "Development" if missing). */
export function renderReadme(readme: string, rules: readonly AnyRule[]): string {
  const block = `${TABLE_START}\n${renderRuleTable(rules)}\n${TABLE_END}`;
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start >= 0 && end > start) return readme.slice(0, start) + block + readme.slice(end + TABLE_END.length);
  const section = `## Rules\n\nEach rule's page (what, why, examples that run as tests) is generated from the rule's header by \`npm run gen\`.\n\n${block}\n\n`;
  const dev = readme.search(/^## Development\b/m);
  if (dev >= 0) return readme.slice(0, dev) + section + readme.slice(dev);
  return readme.replace(/\n*$/, '\n\n') + section.replace(/\n+$/, '\n');
}

/** The published JSON Schema: CONFIG_SCHEMA, with the known rule ids listed under `rules` for editor completion. */
export function renderSchema(rules: readonly AnyRule[]): string {
  const schema = JSON.parse(JSON.stringify(CONFIG_SCHEMA)) as { properties: { rules?: { additionalProperties?: unknown; properties?: Record<string, unknown> } } };
  const r = schema.properties.rules;
  if (r?.additionalProperties) {
    r.properties = Object.fromEntries([...rules].sort((a, b) => (a.id < b.id ? -1 : 1)).map((rule) => [
      rule.id, { ...(r.additionalProperties as object), description: `${rule.description} (${rule.category}, default ${rule.severity}). ${DOCS_DIR}/${rule.id}.md` },
    ]));
  }
  return JSON.stringify(schema, null, 2) + '\n';
}

/** Every generated file (relative path → content); `undefined` content = a stale file to delete. */
export function generate(root: string, rules: readonly AnyRule[] = RULES): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const rule of rules) out.set(`${DOCS_DIR}/${rule.id}.md`, renderRulePage(rule, readRuleDoc(root, rule.id)));
  const docsDir = path.join(root, DOCS_DIR);
  if (fs.existsSync(docsDir)) {
    for (const f of fs.readdirSync(docsDir)) {
      if (f.endsWith('.md') && !out.has(`${DOCS_DIR}/${f}`)) out.set(`${DOCS_DIR}/${f}`, undefined);
    }
  }
  const readmePath = path.join(root, README);
  const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, 'utf8') : '# Telltale\n';
  out.set(README, renderReadme(readme, rules));
  out.set(SCHEMA_FILE, renderSchema(rules));
  return out;
}

/** Files whose content on disk differs from what `generate` produces. */
export function staleFiles(root: string, generated: Map<string, string | undefined>): string[] {
  const stale: string[] = [];
  for (const [rel, content] of generated) {
    const abs = path.join(root, rel);
    const exists = fs.existsSync(abs);
    if (content === undefined ? exists : !exists || fs.readFileSync(abs, 'utf8') !== content) stale.push(rel);
  }
  return stale;
}
