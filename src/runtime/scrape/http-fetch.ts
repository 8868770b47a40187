/**
 * The scraper's default HTTP client on node:http(s): cheaper than WHATWG fetch for multi-megabyte
 * bodies (no web streams), gzip decoded as a stream (so the size limit counts decoded bytes and a
 * gzip bomb stops early), redirects followed (at most 5), aborted through the signal.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { ScrapeFetch } from './scraper';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export const nodeFetch: ScrapeFetch = (url, init) => request(url, init, 0);

function request(url: string, init: Parameters<ScrapeFetch>[1], hops: number): ReturnType<ScrapeFetch> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(u, { headers: init.headers, signal: init.signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location && init.redirect !== 'manual') {
        res.resume();
        if (init.redirect === 'error' || hops >= 5) { reject(new Error(`too many redirects (last: ${location})`)); return; }
        request(new URL(location, u).toString(), init, hops + 1).then(resolve, reject);
        return;
      }
      const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      let body: NodeJS.ReadableStream = res;
      if (encoding === 'gzip' || encoding === 'x-gzip') {
        const gunzip = zlib.createGunzip();
        res.on('error', (err) => gunzip.destroy(err));
        body = res.pipe(gunzip);
      } else if (encoding === 'deflate') {
        const inflate = zlib.createInflate();
        res.on('error', (err) => inflate.destroy(err));
        body = res.pipe(inflate);
      }
      resolve({
        status,
        headers: { get: (name: string) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } },
        body: body as unknown as AsyncIterable<Uint8Array>,
      });
    });
    req.on('error', reject);
  });
}
