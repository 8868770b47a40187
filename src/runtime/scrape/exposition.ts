/**
 * A pure parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0.
 *
 * One pass over the text, character by character on the hot path (no per-line regexes, no line
 * array). A malformed line is reported with its 1-based line number and skipped; every other line
 * is kept. Exemplars (`# {trace_id="…"} 0.3 1.6e9`) are kept with their sample, since trace ids
 * link a metric to a trace. Timestamps are milliseconds in 0.0.4 and seconds in OpenMetrics; both
 * come out as milliseconds.
 */

export type Labels = Record<string, string>;
export type ExpositionFormat = 'prometheus' | 'openmetrics';
export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown' | 'untyped';

export interface MetricFamily {
  name: string;
  type: MetricKind;
  help?: string;
  unit?: string;
}

export interface Exemplar {
  labels: Labels;
  value: number;
  timestampMs?: number;
}

export interface Sample {
  /** The sample's own name (`http_requests_total`, `x_bucket`…). */
  name: string;
  labels: Labels;
  value: number;
  timestampMs?: number;
  exemplar?: Exemplar;
  /** The family (from `# TYPE`) the sample belongs to, when known. */
  family?: MetricFamily;
  /**
   * The series exactly as written (`name{labels}`): a cheap identity within one target, as
   * Prometheus' scrape cache uses. A slice of the input text: copy it before keeping it.
   */
  raw?: string;
}

export interface ParseError {
  line: number;
  message: string;
}

export interface Exposition {
  format: ExpositionFormat;
  families: Map<string, MetricFamily>;
  samples: Sample[];
  errors: ParseError[];
  /** OpenMetrics: whether `# EOF` was seen. */
  eof: boolean;
}

export interface ParseOptions {
  /** Default: 'openmetrics' when the text ends with `# EOF`, else 'prometheus'. */
  format?: ExpositionFormat;
  /** Stop recording errors after this many (they are still counted in `errorCount`). Default 100. */
  maxErrors?: number;
  /**
   * Series already seen, by their raw text (`name{labels}` as written): their label sets are reused
   * instead of parsed again (the scraper passes the store's cache of a target; a steady target
   * then costs a scan per line, not a parse).
   */
  known?: { get(raw: string): Labels | undefined };
}

/** Type names, mapped to constant strings so a family's type never holds on to the input text. */
const KINDS = new Map<string, MetricKind>((['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown', 'untyped'] as const).map((k) => [k, k]));

/** The suffixes a sample name may add to its family name, per family type. */
const SUFFIXES: Record<string, string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['_count', '_sum', '_created'],
  info: ['_info'],
};

/** Maps a Content-Type header to the format it announces; undefined when it is not an exposition. */
export function formatOfContentType(contentType: string | null | undefined): ExpositionFormat | 'html' | undefined {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/openmetrics-text')) return 'openmetrics';
  if (ct.startsWith('text/html') || ct.startsWith('application/xhtml')) return 'html';
  if (ct === '' || ct.startsWith('text/plain')) return 'prometheus';
  return undefined;
}

const C_CR = 13, C_SP = 32, C_TAB = 9, C_HASH = 35, C_LBRACE = 123, C_RBRACE = 125, C_EQ = 61,
  C_QUOTE = 34, C_BSLASH = 92, C_COMMA = 44;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58;
}
function isLabelStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isLabelChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Go's ParseFloat as Prometheus uses it: decimal floats, NaN and ±Inf (any case). */
export function parseFloatStrict(tok: string): number | undefined {
  const c = tok.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // Fast path: Number() accepts what Go accepts here, except hex/binary/octal prefixes.
    const v = +tok;
    if (v === v && !(c === 48 && tok.length > 2 && (tok.charCodeAt(1) | 32) > 97)) return v;
  }
  if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43) {
    if (NUMBER_RE.test(tok)) return Number(tok);
  }
  switch (tok.toLowerCase()) {
    case 'nan': return NaN;
    case '+inf': case 'inf': case '+infinity': case 'infinity': return Infinity;
    case '-inf': case '-infinity': return -Infinity;
  }
  return undefined;
}

class LineError extends Error {}

function setLabel(labels: Labels, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  else labels[name] = value;
}

/** Parses an exposition. Never throws on bad input: problems go to `errors`. */
export function parseExposition(text: string, options: ParseOptions = {}): Exposition & { errorCount: number } {
  const format: ExpositionFormat = options.format ?? (/#\s*EOF\s*$/.test(text.slice(-16)) ? 'openmetrics' : 'prometheus');
  const om = format === 'openmetrics';
  const maxErrors = options.maxErrors ?? 100;
  const known = options.known;
  let nextBackslash = text.indexOf('\\');
  let prevName = '';
  const prevLabels: string[] = [];
  const families = new Map<string, MetricFamily>();
  const samples: Sample[] = [];
  const errors: ParseError[] = [];
  let errorCount = 0;
  let eof = false;
  /** sample name → family, cached (undefined cached as null). */
  const familyOf = new Map<string, MetricFamily | null>();
  const len = text.length;
  let pos = 0;
  let lineNo = 0;
  let lineEnd = 0;
  let afterEofReported = false;

  const fail = (message: string): never => { throw new LineError(message); };

  const resolveFamily = (name: string): MetricFamily | undefined => {
    const cached = familyOf.get(name);
    if (cached !== undefined) return cached ?? undefined;
    let fam = families.get(name);
    if (fam && om && SUFFIXES[fam.type] && fam.type !== 'summary') {
      // OpenMetrics: a counter/histogram family's samples always carry a suffix.
      fam = undefined;
    }
    if (!fam) {
      for (let i = name.length - 1; i > 0; i--) {
        if (name.charCodeAt(i) !== 95) continue;
        const base = families.get(name.slice(0, i));
        if (base && SUFFIXES[base.type]?.includes(name.slice(i))) { fam = base; break; }
      }
    }
    familyOf.set(name, fam ?? null);
    return fam;
  };

  /** Parses a label set starting after '{'; returns the position after '}'. */
  const parseLabels = (start: number, labels: Labels): number => {
    let p = start;
    for (let li = 0; ; li++) {
      let c = text.charCodeAt(p);
      while (!om && (c === C_SP || c === C_TAB)) c = text.charCodeAt(++p);
      if (c === C_RBRACE) return p + 1;
      // Label names repeat line after line in the same order: try the previous line's one first.
      let lname = prevLabels[li];
      if (lname !== undefined && text.startsWith(lname, p) && !isLabelChar(text.charCodeAt(p + lname.length))) {
        p += lname.length;
      } else {
        if (!isLabelStart(c)) fail(p >= lineEnd ? 'unterminated label set' : `invalid label name at column ${p - (pos) + 1}`);
        const ns = p;
        p++;
        while (p < lineEnd && isLabelChar(text.charCodeAt(p))) p++;
        lname = prevLabels[li] = text.slice(ns, p);
      }
      c = text.charCodeAt(p);
      while (!om && (c === C_SP || c === C_TAB)) c = text.charCodeAt(++p);
      if (c !== C_EQ) fail(`expected '=' after label name '${lname}'`);
      c = text.charCodeAt(++p);
      while (!om && (c === C_SP || c === C_TAB)) c = text.charCodeAt(++p);
      if (c !== C_QUOTE) fail(`expected '"' to open the value of label '${lname}'`);
      p++;
      const vs = p;
      let value: string | undefined;
      // Fast path: the closing quote, with no backslash before it (backslashes are rare; the next
      // one's position is found once per text, not per value).
      const q = text.indexOf('"', p);
      if (nextBackslash !== -1 && nextBackslash < p) nextBackslash = text.indexOf('\\', p);
      if (q !== -1 && q < lineEnd && (nextBackslash === -1 || nextBackslash > q)) { value = text.slice(p, q); p = q + 1; } else for (;;) {
        if (p >= lineEnd) fail(`unterminated value of label '${lname}'`);
        c = text.charCodeAt(p);
        if (c === C_QUOTE) { value = text.slice(vs, p); p++; break; }
        if (c === C_BSLASH) { // slow path: unescape
          let out = text.slice(vs, p);
          for (;;) {
            if (p >= lineEnd) fail(`unterminated value of label '${lname}'`);
            c = text.charCodeAt(p);
            if (c === C_QUOTE) { p++; break; }
            if (c === C_BSLASH) {
              const n = text.charCodeAt(p + 1);
              if (n === C_BSLASH) out += '\\';
              else if (n === C_QUOTE) out += '"';
              else if (n === 110) out += '\n';
              else fail(`invalid escape '\\${text[p + 1] ?? ''}' in the value of label '${lname}'`);
              p += 2;
            } else { out += text[p]; p++; }
          }
          value = out;
          break;
        }
        p++;
      }
      if (labels[lname] !== undefined && Object.prototype.hasOwnProperty.call(labels, lname)) fail(`duplicate label '${lname}'`);
      if (lname === '__proto__') setLabel(labels, lname, value);
      else labels[lname] = value;
      c = text.charCodeAt(p);
      while (!om && (c === C_SP || c === C_TAB)) c = text.charCodeAt(++p);
      if (c === C_COMMA) { p++; if (om && text.charCodeAt(p) === C_RBRACE) fail('trailing comma in label set'); continue; }
      if (c === C_RBRACE) return p + 1;
      fail(p >= lineEnd ? 'unterminated label set' : `expected ',' or '}' after the value of label '${lname}'`);
    }
  };

  const parseTimestamp = (tok: string): number => {
    const v = parseFloatStrict(tok);
    if (v === undefined || !Number.isFinite(v)) fail(`invalid timestamp '${tok}'`);
    if (om) return Math.round((v as number) * 1000);
    if (!/^-?\d+$/.test(tok)) fail(`invalid timestamp '${tok}' (milliseconds, an integer)`);
    return v as number;
  };

  const parseComment = (): void => {
    // text[pos] === '#'
    let p = pos + 1;
    if (text.charCodeAt(p) !== C_SP) { if (om) fail('comments are not allowed in OpenMetrics'); return; }
    p++;
    let we = p;
    while (we < lineEnd && text.charCodeAt(we) !== C_SP) we++;
    const word = text.slice(p, we);
    if (word === 'EOF' && we === lineEnd) { eof = true; return; }
    if (word !== 'HELP' && word !== 'TYPE' && word !== 'UNIT') { if (om) fail(`unknown comment '# ${word}'`); return; }
    p = we + 1;
    let ne = p;
    while (ne < lineEnd && text.charCodeAt(ne) !== C_SP) ne++;
    const name = text.slice(p, ne);
    if (!name || !isNameStart(name.charCodeAt(0))) fail(`# ${word} needs a metric name`);
    for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) fail(`invalid metric name '${name}' in # ${word}`);
    const rest = ne < lineEnd ? text.slice(ne + 1, lineEnd) : '';
    let fam = families.get(name);
    if (word === 'TYPE') {
      const type = KINDS.get(rest.trim()) as MetricKind;
      if (!type) fail(`unknown metric type '${rest.trim()}'`);
      if ((fam as { typed?: boolean } | undefined)?.typed) fail(`second # TYPE for '${name}'`);
      if (!fam) { fam = { name, type }; families.set(name, fam); } else fam.type = type;
      (fam as { typed?: boolean }).typed = true;
      familyOf.clear();
      return;
    }
    if (!fam) { fam = { name, type: om ? 'unknown' : 'untyped' }; families.set(name, fam); familyOf.clear(); }
    if (word === 'HELP') {
      if (fam.help !== undefined) fail(`second # HELP for '${name}'`);
      fam.help = rest.indexOf('\\') < 0 ? rest : rest.replace(/\\(.)/g, (m, ch: string) => (ch === 'n' ? '\n' : ch === '\\' ? '\\' : ch === '"' && om ? '"' : m));
    } else {
      if (!om) fail('# UNIT is OpenMetrics only');
      fam.unit = rest;
      if (rest && !name.endsWith('_' + rest)) fail(`metric name '${name}' must end with its unit '_${rest}'`);
    }
  };

  const parseSample = (): void => {
    let p = pos;
    let c: number;
    let name: string;
    // Lines of one family repeat its name: reuse the previous name when the line starts with it.
    const n = prevName.length;
    if (n && text.startsWith(prevName, p) && !isNameChar(text.charCodeAt(p + n))) {
      name = prevName;
      p += n;
    } else {
      c = text.charCodeAt(p);
      if (!isNameStart(c)) fail(`invalid metric name at the start of the line`);
      p++;
      while (p < lineEnd && isNameChar(text.charCodeAt(p))) p++;
      name = prevName = text.slice(pos, p);
    }
    let labels: Labels | undefined;
    c = text.charCodeAt(p);
    if (!om && (c === C_SP || c === C_TAB)) {
      let q = p;
      while (c === C_SP || c === C_TAB) c = text.charCodeAt(++q);
      if (c === C_LBRACE) p = q;
    }
    if (c === C_LBRACE) {
      if (known) {
        // Find the end of the label set (respecting quotes) and look the series up.
        let q = p + 1, inQuote = false;
        for (; q < lineEnd; q++) {
          const ch = text.charCodeAt(q);
          if (inQuote) { if (ch === C_BSLASH) q++; else if (ch === C_QUOTE) inQuote = false; } else if (ch === C_QUOTE) inQuote = true; else if (ch === C_RBRACE) break;
        }
        if (q < lineEnd) {
          labels = known.get(text.slice(pos, q + 1));
          if (labels) p = q + 1;
        }
      }
      if (!labels) { labels = {}; p = parseLabels(p + 1, labels); }
    } else {
      labels = known?.get(name) ?? {};
    }
    const raw = text.slice(pos, p);
    c = text.charCodeAt(p);
    if (p >= lineEnd) fail(`missing value after '${name}'`);
    if (c !== C_SP && c !== C_TAB) fail(`expected a space before the value of '${name}'`);
    while (p < lineEnd && (text.charCodeAt(p) === C_SP || text.charCodeAt(p) === C_TAB)) p++;
    let te = p;
    while (te < lineEnd && text.charCodeAt(te) !== C_SP && text.charCodeAt(te) !== C_TAB) te++;
    const vtok = text.slice(p, te);
    const value = parseFloatStrict(vtok);
    if (value === undefined) fail(vtok ? `invalid value '${vtok.length > 40 ? vtok.slice(0, 40) + '…' : vtok}'` : `missing value after '${name}'`);
    // All fields set up front: one object shape for every sample.
    const sample: Sample = { name, labels, value: value as number, timestampMs: undefined, exemplar: undefined, family: undefined, raw };
    p = te;
    while (p < lineEnd && (text.charCodeAt(p) === C_SP || text.charCodeAt(p) === C_TAB)) p++;
    if (p < lineEnd && text.charCodeAt(p) !== C_HASH) {
      te = p;
      while (te < lineEnd && text.charCodeAt(te) !== C_SP && text.charCodeAt(te) !== C_TAB) te++;
      sample.timestampMs = parseTimestamp(text.slice(p, te));
      p = te;
      while (p < lineEnd && (text.charCodeAt(p) === C_SP || text.charCodeAt(p) === C_TAB)) p++;
    }
    if (p < lineEnd) {
      if (text.charCodeAt(p) !== C_HASH) fail(`unexpected text after the value: '${text.slice(p, Math.min(lineEnd, p + 40))}'`);
      p++;
      while (p < lineEnd && text.charCodeAt(p) === C_SP) p++;
      if (text.charCodeAt(p) !== C_LBRACE) fail(`expected '{' to open an exemplar`);
      const exLabels: Labels = {};
      p = parseLabels(p + 1, exLabels);
      if (text.charCodeAt(p) !== C_SP) fail('expected a space before the exemplar value');
      p++;
      te = p;
      while (te < lineEnd && text.charCodeAt(te) !== C_SP) te++;
      const ev = parseFloatStrict(text.slice(p, te));
      if (ev === undefined) fail(`invalid exemplar value '${text.slice(p, te)}'`);
      const exemplar: Exemplar = { labels: exLabels, value: ev as number };
      if (te < lineEnd) {
        p = te + 1;
        te = p;
        while (te < lineEnd && text.charCodeAt(te) !== C_SP) te++;
        const ts = parseFloatStrict(text.slice(p, te));
        if (ts === undefined || !Number.isFinite(ts)) fail(`invalid exemplar timestamp '${text.slice(p, te)}'`);
        exemplar.timestampMs = om ? Math.round((ts as number) * 1000) : (ts as number);
        if (te < lineEnd) fail('unexpected text after the exemplar');
      }
      let runes = 0;
      for (const k in exLabels) runes += [...k].length + [...exLabels[k]].length;
      if (runes > 128) fail('exemplar labels longer than 128 characters');
      sample.exemplar = exemplar;
    }
    const fam = families.size ? resolveFamily(name) : undefined;
    if (fam) sample.family = fam;
    if (om && !fam && families.has(name)) {
      // e.g. a counter sample without `_total`
      fail(`sample '${name}' lacks the suffix its ${families.get(name)!.type} family requires`);
    }
    samples.push(sample);
  };

  while (pos < len) {
    lineNo++;
    lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = len;
    const next = lineEnd + 1;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === C_CR) lineEnd--;
    try {
      if (eof) {
        if (lineEnd > pos && !afterEofReported) { afterEofReported = true; fail('content after # EOF'); }
      } else if (lineEnd === pos) {
        if (om) fail('empty line');
      } else {
        let c = text.charCodeAt(pos);
        if (!om) while ((c === C_SP || c === C_TAB) && pos < lineEnd) c = text.charCodeAt(++pos);
        if (pos === lineEnd) { /* blank */ } else if (c === C_HASH) parseComment(); else parseSample();
      }
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      errorCount++;
      if (errors.length < maxErrors) errors.push({ line: lineNo, message: err.message });
    }
    pos = next;
  }
  if (om && !eof) {
    errorCount++;
    if (errors.length < maxErrors) errors.push({ line: lineNo + 1, message: 'missing # EOF at the end of an OpenMetrics exposition' });
  }
  for (const f of families.values()) delete (f as { typed?: boolean }).typed;
  return { format, families, samples, errors, eof, errorCount };
}

/** A stable identity for a series: its name and its labels sorted by name. */
export function seriesKey(name: string, labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return name;
  if (keys.length > 1) keys.sort();
  let s = name + '{';
  for (let i = 0; i < keys.length; i++) {
    if (i) s += ',';
    s += keys[i] + '=' + JSON.stringify(labels[keys[i]]);
  }
  return s + '}';
}
