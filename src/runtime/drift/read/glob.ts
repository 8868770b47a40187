/** Minimal glob expansion (`*`, `?`, `**`, `[abc]`) over the file system, sorted, without dependencies. */
import fs from 'node:fs';
import path from 'node:path';

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const j = seg.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else { re += '[' + seg.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = j; }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files matching `pattern` (absolute, or relative to `baseDir`), sorted. */
export function expandGlob(pattern: string, baseDir: string): string[] {
  const abs = path.resolve(baseDir, pattern);
  if (!hasGlob(abs)) return fs.existsSync(abs) ? [abs] : [];
  const parts = abs.split(path.sep);
  let root = parts[0] === '' ? path.sep : parts[0];
  let i = 1;
  while (i < parts.length && !hasGlob(parts[i])) { root = path.join(root, parts[i]); i++; }
  const out: string[] = [];
  const walk = (dir: string, k: number): void => {
    if (k === parts.length) { if (fs.existsSync(dir) && fs.statSync(dir).isFile()) out.push(dir); return; }
    const seg = parts[k];
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    if (seg === '**') {
      walk(dir, k + 1);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(dir, e.name), k);
      return;
    }
    if (!hasGlob(seg)) { walk(path.join(dir, seg), k + 1); return; }
    const re = segmentRegex(seg);
    for (const e of entries) if (re.test(e.name)) walk(path.join(dir, e.name), k + 1);
  };
  walk(root, i);
  return [...new Set(out)].sort();
}
