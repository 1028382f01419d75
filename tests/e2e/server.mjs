// A small static file server for the built app (and test fixtures), used
// by `scripts/serve`, the end-to-end tests and the benchmarks.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` at `/` and each `mounts[prefix]` directory at `/prefix/`.
 * Resolves to `{ url, close }` once listening on 127.0.0.1; `close` also
 * drops open connections, so a browser finds the site gone at once (the
 * offline tests).
 */
export function startServer({ root, port = 0, mounts = {} }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let pathname = decodeURIComponent(url.pathname);
    let base = root;
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (pathname.startsWith(`/${prefix}/`)) {
        base = dir;
        pathname = pathname.slice(prefix.length + 1);
      }
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.join(base, path.normalize(pathname));
    if (!file.startsWith(path.resolve(base))) {
      res.writeHead(403).end();
      return;
    }
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-length': stat.size,
        'cache-control': 'no-store',
      });
      fs.createReadStream(file).pipe(res);
    });
  });
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const close = () =>
    new Promise((r) => {
      server.close(r);
      for (const socket of sockets) socket.destroy();
    });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({ url: `http://127.0.0.1:${actual}/`, close });
    });
  });
}

// `node tests/e2e/server.mjs dist 8080` serves the built app.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(process.argv[2] || 'dist');
  const port = Number(process.argv[3] || 8080);
  const { url } = await startServer({ root, port });
  console.log(`Churnlab is being served at ${url} (Ctrl+C stops it)`);
}
