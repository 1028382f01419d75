// Churnlab's service worker, written by scripts/post-build.mjs from
// scripts/sw-template.js: the build's name and exactly its files are filled
// in at build time.
//
// It makes the app work offline after one visit. Every build precaches its
// files into a cache of its own and serves only from it, so a page never
// gets files of two builds. A new build installs beside the old one and
// waits: the page offers "Reload to update" and nothing reloads by itself.
// It answers only for its own files, inside its own folder (its scope).
const BUILD = __BUILD__;
const FILES = __FILES__;
const CACHE = `churnlab-${BUILD}`;
const PREFIX = 'churnlab-';

const scope = new URL(self.registration.scope);
const known = new Set(FILES.map((f) => new URL(f, scope).pathname));
const indexPath = new URL('index.html', scope).pathname;

// Files named by their content's hash may come from the HTTP cache; the
// others (index.html, boot.js, worker.js…) must come from the server.
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

self.addEventListener('install', (event) => {
  const requests = FILES.map((f) => new Request(new URL(f, scope), { cache: HASHED.test(f) ? 'default' : 'reload' }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  // The app's page, whatever its query (?embed, ?data, ?lab): the cached index.
  const isPage = request.mode === 'navigate' && (url.pathname === scope.pathname || url.pathname === indexPath);
  if (!isPage && !known.has(url.pathname)) return;
  const key = isPage ? new URL('index.html', scope).href : url.href;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(key, { ignoreSearch: true }).then((hit) => hit || fetch(request))),
  );
});
