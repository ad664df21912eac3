/*
 * App-shell cache (issue 3, offline): lets a board page reload with no network. The board
 * data itself comes from IndexedDB (y-indexeddb, client/hooks/offlineCache.ts); this only
 * keeps the page and its hashed assets. Navigations: network first, cached page when
 * offline. /assets/*: cache first (file names carry a content hash). /api and /ws: never.
 */
const CACHE = 'refinement-shell-v1';

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const res = await fetch('/', { cache: 'no-store' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put('/index.html', res);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  // Chunks loaded later (the planning view, the item panel, dialogs: issue 16) are named
  // only inside the scripts: follow the names each script mentions, so they open offline too.
  const seen = new Set();
  const add = async (asset) => {
    if (seen.has(asset)) return;
    seen.add(asset);
    const res = await fetch(asset);
    if (!res.ok) return;
    const more = asset.endsWith('.js') ? chunkNames(await res.clone().text()) : [];
    await cache.put(asset, res);
    await Promise.all(more.map((m) => add(m).catch(() => {})));
  };
  await Promise.all(assets.map((a) => add(a).catch(() => {})));
}

/** `/assets/…` files a built script refers to: "assets/x.js" (preload lists) or "./x.js" (imports). */
function chunkNames(js) {
  return [...js.matchAll(/["'`](?:\/?assets\/|\.\/)([\w.-]+\.(?:js|css))["'`]/g)].map((m) => `/assets/${m[1]}`);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api') || url.pathname.startsWith('/ws')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put('/index.html', copy));
          }
          return res;
        })
        .catch(() => caches.match('/index.html').then((hit) => hit || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              caches.open(CACHE).then((c) => c.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});
