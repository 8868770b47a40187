import assert from 'node:assert/strict';
import { formatOfContentType, parseExposition, parseFloatStrict, seriesKey } from '../../src/runtime/scrape/exposition';

describe('runtime: exposition parser', () => {
  it('parses prom-client text 0.0.4 with HELP/TYPE, histograms and escaped label values', () => {
    const text = [
      '# HELP http_request_duration_seconds Duration of "HTTP" requests \\\\ in seconds\\nsecond line',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.1",route="/a\\"b\\\\c\\nd"} 3',
      'http_request_duration_seconds_bucket{le="+Inf",route="/a\\"b\\\\c\\nd"} 5',
      'http_request_duration_seconds_sum{route="/a\\"b\\\\c\\nd"} 1.25',
      'http_request_duration_seconds_count{route="/a\\"b\\\\c\\nd"} 5',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="GET",status_code="200"} 1027 1395066363000',
      '',
    ].join('\n');
    const p = parseExposition(text);
    assert.equal(p.format, 'prometheus');
    assert.deepEqual(p.errors, []);
    assert.equal(p.samples.length, 5);
    assert.equal(p.samples[0].labels.route, '/a"b\\c\nd');
    assert.equal(p.samples[0].family?.name, 'http_request_duration_seconds');
    assert.equal(p.samples[1].labels.le, '+Inf');
    assert.equal(p.families.get('http_request_duration_seconds')?.help, 'Duration of "HTTP" requests \\ in seconds\nsecond line');
    assert.equal(p.samples[4].timestampMs, 1395066363000);
    assert.equal(p.samples[4].family?.type, 'counter');
  });

  it('reads NaN, +Inf, -Inf and exponents as Go does', () => {
    const p = parseExposition('a NaN\nb +Inf\nc -Inf\nd 1.5e-3\ne -0\nf .5\ng Inf\n');
    assert.deepEqual(p.errors, []);
    assert.ok(Number.isNaN(p.samples[0].value));
    assert.deepEqual(p.samples.slice(1).map((s) => s.value), [Infinity, -Infinity, 0.0015, -0, 0.5, Infinity]);
    assert.equal(parseFloatStrict('0x10'), undefined);
    assert.equal(parseFloatStrict(''), undefined);
    assert.equal(parseFloatStrict('1_000'), undefined);
  });

  it('parses OpenMetrics: UNIT, _total/_created, exemplars with trace ids, timestamps in seconds, # EOF', () => {
    const text = [
      '# TYPE http_request_duration_seconds histogram',
      '# UNIT http_request_duration_seconds seconds',
      '# HELP http_request_duration_seconds Duration.',
      'http_request_duration_seconds_bucket{le="0.5"} 7 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 0.31 1700000000.123',
      'http_request_duration_seconds_bucket{le="+Inf"} 9',
      'http_request_duration_seconds_count 9',
      'http_request_duration_seconds_sum 3.5',
      'http_request_duration_seconds_created 1700000000.5',
      '# TYPE jobs counter',
      'jobs_total{job="etl"} 4 1700000001.250',
      'jobs_created{job="etl"} 1699990000',
      '# TYPE rpc summary',
      'rpc{quantile="0.5"} 0.2',
      'rpc_sum 10',
      'rpc_count 40',
      '# EOF',
      '',
    ].join('\n');
    const p = parseExposition(text, { format: 'openmetrics' });
    assert.deepEqual(p.errors, []);
    assert.equal(p.eof, true);
    const fam = p.families.get('http_request_duration_seconds');
    assert.equal(fam?.unit, 'seconds');
    assert.equal(fam?.type, 'histogram');
    const b = p.samples[0];
    assert.deepEqual(b.exemplar, { labels: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' }, value: 0.31, timestampMs: 1700000000123 });
    const created = p.samples.find((s) => s.name === 'http_request_duration_seconds_created');
    assert.equal(created?.family?.name, 'http_request_duration_seconds');
    const jobs = p.samples.find((s) => s.name === 'jobs_total');
    assert.equal(jobs?.family?.name, 'jobs');
    assert.equal(jobs?.timestampMs, 1700000001250);
    assert.equal(p.samples.find((s) => s.name === 'jobs_created')?.family?.type, 'counter');
    assert.equal(p.samples.find((s) => s.name === 'rpc')?.family?.type, 'summary');
    assert.equal(p.samples.find((s) => s.name === 'rpc')?.labels.quantile, '0.5');
    // auto-detected from the trailing # EOF
    assert.equal(parseExposition(text).format, 'openmetrics');
  });

  it('reports malformed lines with their line number and keeps the rest', () => {
    const text = [
      '# TYPE good counter',     // 1
      'good_total 1',            // 2
      'bad{label="x" 1',         // 3  unterminated label set
      'also_bad 1 2 3',          // 4  trailing garbage
      'bad2{x="\\q"} 1',         // 5  invalid escape
      'ok2{a="b",} 2',           // 6  trailing comma: fine in 0.0.4
      '9starts_with_digit 1',    // 7
      'novalue',                 // 8
      'v{a="1"} abc',            // 9
      'dup{a="1",a="2"} 1',      // 10
      'last 3',                  // 11
    ].join('\n');
    const p = parseExposition(text);
    assert.deepEqual(p.samples.map((s) => s.name), ['good_total', 'ok2', 'last']);
    assert.deepEqual(p.errors.map((e) => e.line), [3, 4, 5, 7, 8, 9, 10]);
    assert.match(p.errors[0].message, /label/);
    assert.match(p.errors[2].message, /invalid escape/);
    assert.match(p.errors[5].message, /invalid value 'abc'/);
    assert.match(p.errors[6].message, /duplicate label 'a'/);
  });

  it('OpenMetrics: a missing # EOF, content after it and an unsuffixed counter are errors', () => {
    const noEof = parseExposition('# TYPE a counter\na_total 1\n', { format: 'openmetrics' });
    assert.equal(noEof.samples.length, 1);
    assert.match(noEof.errors[0].message, /missing # EOF/);
    const after = parseExposition('a 1\n# EOF\nb 2\n', { format: 'openmetrics' });
    assert.deepEqual(after.samples.map((s) => s.name), ['a']);
    assert.deepEqual(after.errors, [{ line: 3, message: 'content after # EOF' }]);
    const bare = parseExposition('# TYPE c counter\nc 1\n# EOF\n', { format: 'openmetrics' });
    assert.equal(bare.samples.length, 0);
    assert.match(bare.errors[0].message, /suffix/);
  });

  it('survives garbage and binary input without throwing', () => {
    const garbage = parseExposition('\u0000\u0001<<>>\n{{{{\n"unterminated\n' + 'x'.repeat(1000) + '{');
    assert.equal(garbage.samples.length, 0);
    assert.ok(garbage.errors.length >= 3);
    const many = parseExposition('bad line\n'.repeat(500), { maxErrors: 5 });
    assert.equal(many.errors.length, 5);
    assert.equal(many.errorCount, 500);
  });

  it('keeps a label named __proto__ as data and CRLF line ends', () => {
    const p = parseExposition('m{__proto__="x"} 1\r\nn 2\r\n');
    assert.deepEqual(p.errors, []);
    assert.equal(Object.getPrototypeOf(p.samples[0].labels), Object.prototype);
    assert.equal(p.samples[0].labels.__proto__, 'x');
    assert.equal(p.samples[1].value, 2);
  });

  it('does not confuse names that are prefixes of each other (name and label-name reuse)', () => {
    const p = parseExposition('foo 1\nfoo_bar 2\nfoo 3\nm{a="1",b="2"} 1\nm{ab="1",b="2"} 2\nm{a="1"} 3\nm{b="1",a="2"} 4\n');
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.samples.map((s) => s.name), ['foo', 'foo_bar', 'foo', 'm', 'm', 'm', 'm']);
    assert.deepEqual(p.samples.slice(3).map((s) => s.labels), [{ a: '1', b: '2' }, { ab: '1', b: '2' }, { a: '1' }, { b: '1', a: '2' }]);
  });

  it('maps content types and builds stable series keys', () => {
    assert.equal(formatOfContentType('application/openmetrics-text; version=1.0.0; charset=utf-8'), 'openmetrics');
    assert.equal(formatOfContentType('text/plain; version=0.0.4'), 'prometheus');
    assert.equal(formatOfContentType('text/html; charset=utf-8'), 'html');
    assert.equal(formatOfContentType('application/json'), undefined);
    assert.equal(seriesKey('m', { b: '2', a: '1' }), seriesKey('m', { a: '1', b: '2' }));
    assert.notEqual(seriesKey('m', { a: '1,b="2"' }), seriesKey('m', { a: '1', b: '2' }));
  });
});
