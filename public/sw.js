// Saha service worker: keeps the app shell and bundle in a versioned cache so the app
// opens with no network. Data never passes through here: it lives in IndexedDB and syncs
// over the WebSocket. `__SAHA_BUILD__` is replaced by a hash of the build (cargo xtask).
const VERSION = '__SAHA_BUILD__';
const CACHE = `saha-${VERSION}`;
const SHELL = '/';
const PRECACHE = [
  SHELL,
  '/boot.js',
  // The main module, its JavaScript, the stylesheet and every lazily loaded part of the
  // module with their loader: pages split out open offline too.
  '__SAHA_BUNDLE__',
  '/manifest.webmanifest',
  '/icon.svg',
  '/icon-192.png',
  '/icon-512.png',
];
// On a bad connection, wait this long for the network before using the cached shell.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

// The newest earlier cache is kept one build longer: a page opened before this update
// still runs the old main module, and the parts it loads later must be the old build's
// (their names carry a hash of their bytes, so the builds never mix). Older ones go.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => {
        const earlier = keys.filter((key) => key.startsWith('saha-') && key !== CACHE);
        // caches.keys() lists caches in the order they were made.
        return Promise.all(earlier.slice(0, -1).map((key) => caches.delete(key)));
      })
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/sync') return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
  } else {
    event.respondWith(cached(request));
  }
});

// This build's copy first, then the earlier build's (a part an old page asks for), then
// the network.
async function cached(request) {
  const current = await caches.open(CACHE);
  return (await current.match(request)) || (await caches.match(request)) || fetch(request);
}

// Every app route has the same shell: try the network (it may carry a new build), and
// fall back to the cached shell when offline or too slow.
async function navigation(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) {
      await cache.put(SHELL, response.clone());
    }
    return response;
  } catch (_) {
    const shell = await cache.match(SHELL);
    return shell || Response.error();
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}
