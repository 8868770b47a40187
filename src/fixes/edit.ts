/**
 * Text edits: the only output of a fix. A FileEdit replaces [start, end) of a file's current text
 * (offsets into the text the analysis read); `create` makes a new file. Edits are computed on a
 * read-only syntax tree ("analyze then manipulate") and applied here, in one place, after checking
 * they do not overlap.
 */
export interface FileEdit {
  /** Absolute path. */
  file: string;
  start: number;
  end: number;
  newText: string;
  /** The file does not exist yet: `newText` is its whole content. */
  create?: boolean;
}

export class OverlappingEditsError extends Error {
  override name = 'OverlappingEditsError';
}

/** Applies edits to one file's text (edits for other files are ignored). Throws on overlaps. */
export function applyEdits(text: string, edits: readonly FileEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1], cur = sorted[i];
    if (cur.start < prev.end) throw new OverlappingEditsError(`edits overlap at ${cur.start}: [${prev.start},${prev.end}) and [${cur.start},${cur.end})`);
  }
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end > text.length) throw new OverlappingEditsError(`edit [${e.start},${e.end}) is outside the text (length ${text.length})`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** Groups edits by file, merging edits that insert at the same offset (in order). */
export function groupByFile(edits: readonly FileEdit[]): Map<string, FileEdit[]> {
  const map = new Map<string, FileEdit[]>();
  for (const e of edits) {
    let list = map.get(e.file);
    if (!list) map.set(e.file, (list = []));
    const same = list.find((x) => x.start === e.start && x.end === e.start && e.end === e.start && !x.create && !e.create);
    if (same) same.newText += e.newText;
    else list.push({ ...e });
  }
  return map;
}

/** A minimal unified diff of two texts (for `telltale fix --diff`). */
export function unifiedDiff(file: string, before: string | undefined, after: string, context = 3): string {
  if (before === after) return '';
  if (before === undefined) {
    const lines = after.replace(/\n$/, '').split('\n');
    return `--- /dev/null\n+++ b/${file}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => '+' + l).join('\n')}\n`;
  }
  const a = before.split('\n'), b = after.split('\n');
  // Myers would be nicer; an LCS table is fine for source files of a few thousand lines.
  const n = a.length, m = b.length;
  if (n * m > 25_000_000) return `--- a/${file}\n+++ b/${file}\n@@ file too large to diff @@\n`;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Array<{ op: ' ' | '-' | '+'; line: string; ai: number; bi: number }> = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push({ op: ' ', line: a[i], ai: i, bi: j }); i++; j++; }
    else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) { ops.push({ op: '+', line: b[j], ai: i, bi: j }); j++; }
    else { ops.push({ op: '-', line: a[i], ai: i, bi: j }); i++; }
  }
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === ' ') { k++; continue; }
    let start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      if (ops[end].op !== ' ') { end++; continue; }
      let run = 0;
      while (end + run < ops.length && ops[end + run].op === ' ') run++;
      if (end + run >= ops.length || run > context * 2) { end = Math.min(ops.length, end + context); break; }
      end += run;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai + 1, bStart = hunk[0].bi + 1;
    const aLen = hunk.filter((o) => o.op !== '+').length, bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`);
    for (const o of hunk) out.push(o.op + o.line);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
