// A council's website on loopback, for the embedding tests (issue #11): folders mounted at
// paths of the test's choosing (the release artefact somewhere it was not built for), pages
// written by the test, and response headers per page (a Content Security Policy).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { TYPES } from './server.mjs';

/** Starts a site. `mounts` is [[urlPrefix, folder]]; `pages` maps a path to HTML, or to
 *  { body, headers }; `headers(path)` adds response headers to everything else. Every
 *  request's path is recorded in `requests`; `pages` can be added to later. Resolves to
 *  { url, port, requests, pages, close }. */
export async function startSite({ mounts = [], pages = {}, headers = () => ({}), host = '127.0.0.1' } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://site.test');
    requests.push(url.pathname);
    const extra = headers(url.pathname) ?? {};
    try {
      const page = pages[url.pathname];
      if (page !== undefined) {
        const { body, headers: own = {} } = typeof page === 'string' ? { body: page } : page;
        res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store', ...extra, ...own }).end(body);
        return;
      }
      const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
      if (!mount) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      const [prefix, folder] = mount;
      const base = resolve(folder);
      const path = resolve(base, '.' + decodeURIComponent(url.pathname.slice(prefix.length - 1)));
      if (!path.startsWith(base + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      const body = await readFile(path);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...extra,
      }).end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    pages,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}
