// A static server for the release build on loopback, with brotli and gzip like a real host.
// `/host.html?survey=NAME` (or `src=URL`) serves the demo host page pointed at another
// survey; `/fixtures/…` serves the shared test fixtures.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, extname, resolve, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';

/** Content types by extension, shared with `site.mjs`. */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);

/** Points the page's widget at `endpoint` (or at none, when null): the demo page's own
 *  endpoint is the collector that `./scripts/dev.sh` runs, which tests do not. */
function withEndpoint(html, endpoint) {
  const attr = /\sdata-endpoint=(?:"[^"]*"|'[^']*'|[^\s>]+)/;
  if (!attr.test(html)) throw new Error('the page has no data-endpoint to replace');
  return html.replace(attr, endpoint ? ` data-endpoint="${endpoint.replace(/["<>\s]/g, encodeURIComponent)}"` : '');
}

/** Starts the server; resolves to { url, close, setDist, setEndpoint }. `setDist(path)`
 *  serves another build from then on, as a new deployment would; `setEndpoint(url)` points
 *  the pages it serves at a collector. `/host.html?endpoint=URL` does so for one page.
 *  `pages` maps more paths to HTML of the caller's. */
export async function startServer({ dist: initial = join(ROOT, 'dist'), port = 0, endpoint: initialEndpoint = null, pages = {} } = {}) {
  let endpoint = initialEndpoint;
  let dist = initial;
  const cache = new Map();
  // Compressed bodies are cached by content hash, so two host pages never share an entry.
  const compressed = (key, body, enc) => {
    const k = `${enc}:${key}`;
    if (!cache.has(k)) {
      cache.set(k, enc === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
        : gzipSync(body, { level: 9 }));
    }
    return cache.get(k);
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let file;
      let body;
      if (pages[url.pathname] !== undefined) {
        // A page (or script, or stylesheet) the caller wrote: the benchmarks' embedding pages.
        body = Buffer.from(pages[url.pathname]);
        file = extname(url.pathname) ? url.pathname : 'page.html';
      } else if (url.pathname === '/host.html') {
        const html = await readFile(join(dist, 'index.html'), 'utf8');
        const survey = url.searchParams.get('survey');
        const src = url.searchParams.get('src') ?? (survey ? `surveys/${survey}.json` : 'surveys/carers-strategy.json');
        // Point the widget (and the preload hint) at the requested survey.
        // The release build minifies the page, so the attribute may be unquoted.
        const found = html.match(/data-survey-src=(?:"([^"]*)"|([^\s>]+))/);
        const original = found[1] ?? found[2];
        body = Buffer.from(withEndpoint(html.replaceAll(original, src.replace(/["'\s>]/g, encodeURIComponent)), url.searchParams.get('endpoint') ?? endpoint));
        file = 'host.html';
      } else {
        const base = url.pathname.startsWith('/fixtures/') ? join(ROOT, 'tests') : dist;
        // A folder's index.html, as static hosts serve it (`/`, `/console/`).
        const wanted = decodeURIComponent(url.pathname);
        const path = resolve(base, '.' + (wanted.endsWith('/') ? `${wanted}index.html` : wanted));
        if (!path.startsWith(base + sep)) {
          res.writeHead(403).end();
          return;
        }
        file = path;
        body = await readFile(path);
        if (path === join(dist, 'index.html') || path === join(dist, 'event.html')) {
          body = Buffer.from(withEndpoint(body.toString('utf8'), endpoint));
        }
      }
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const accept = req.headers['accept-encoding'] ?? '';
      const enc = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' };
      if (enc && !type.startsWith('image/png')) {
        body = compressed(createHash('sha256').update(body).digest('hex'), body, enc);
        headers['Content-Encoding'] = enc;
      }
      headers['Content-Length'] = body.length;
      res.writeHead(200, headers).end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
    setDist: (path) => { dist = path; },
    setEndpoint: (url) => { endpoint = url; },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await startServer({ port });
  console.log(`serving dist on ${url}`);
}
