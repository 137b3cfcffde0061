// sepsis-risk's service worker: keeps this version of the app (page, script, wasm, styles,
// fonts, the ICU model) in the browser's cache, so that after one visit the app loads and
// works with no network. Same origin only; nothing else is cached, nothing is sent anywhere.
//
// This file is a template: scripts/service-worker.sh writes dist/sw.js from it, replacing
// __SEPSIS_VERSION__ by a hash of every file's content and __SEPSIS_FILES__ by the list of
// files. A new deployment therefore has a new sw.js: the browser installs it next to the
// running one, the page offers "new version available: reload", and the reload (or closing
// every tab of the app) activates it, which deletes the old version's cache.
"use strict";

const VERSION = "__SEPSIS_VERSION__";
const FILES = __SEPSIS_FILES__;
const CACHE = "sepsis-risk-" + VERSION;
const PREFIX = "sepsis-risk-";

self.addEventListener("install", (event) => {
  // Every file or nothing: addAll fails the install if one response is not OK. `no-cache`
  // revalidates with the server, so an old copy in the HTTP cache is never what is kept.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(FILES.map((f) => new Request(f, { cache: "no-cache" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })()
  );
});

// The page's "Reload" button asks the waiting version to take over.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // App routes (/, /explore, /patient/...) have no extension: they are the app shell, as
  // nginx serves them. Files are looked up by path; anything not cached (e.g. /healthz) goes
  // to the network as if there were no service worker.
  const last = url.pathname.split("/").pop();
  const path = request.mode === "navigate" && !last.includes(".") ? "/index.html" : url.pathname;
  if (!FILES.includes(path)) return;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(path).then((hit) => hit || fetch(request))
    )
  );
});
