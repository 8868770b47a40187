/** Shared by the fix end-to-end tests: fixture apps copied into test/.tmp, tsc, and reading /metrics. */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TMP = path.join(ROOT, 'test/.tmp');

/** The repository's TypeScript compiler (the fixture copies resolve types from its node_modules). */
export const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/** Copies test/fixtures/fix-apps/<name> into a fresh folder under test/.tmp (inside the repo, for node_modules). */
export function copyFixApp(name: string, tag = name): string {
  fs.mkdirSync(TMP, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP, `fix-${tag}-`));
  fs.cpSync(path.join(ROOT, 'test/fixtures/fix-apps', name), dir, { recursive: true });
  return dir;
}

/** Parses `name{labels} value` lines of one metric into label-string → value. */
export function series(exposition: string, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m && m[1] === metric) out.set(m[2], Number(m[3]));
  }
  return out;
}

/** The label string of a RED series, as prom-client writes it. */
export const redLabel = (method: string, route: string, status: string) => `method="${method}",route="${route}",status_code="${status}"`;
