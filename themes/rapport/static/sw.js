// rapport offline reading: a service worker the theme registers only when
// site.toml says `offline = true` (never under `rapport serve`). Network
// first: when the network answers, the reader gets that answer and a copy is
// kept; only when it fails is the kept copy served. So a page is never stale
// while online, and every page read (with the search files it fetched) can
// be reread with no signal.
"use strict";
var CACHE = "rapport-offline-v1";
var scope = new URL(self.registration.scope);

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

function keep(request, response) {
  if (!response || !response.ok || response.type !== "basic") return;
  var copy = response.clone();
  caches.open(CACHE).then(function (c) { return c.put(request, copy); });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== scope.origin || url.pathname.indexOf(scope.pathname) !== 0) return;
  if (url.pathname.indexOf("/__rapport/") !== -1) return;
  e.respondWith(fetch(req).then(function (res) {
    keep(req, res);
    return res;
  }, function () {
    return caches.match(req, { ignoreSearch: req.mode === "navigate" }).then(function (hit) {
      if (hit) return hit;
      if (req.mode === "navigate") return caches.match(scope.pathname + "404.html").then(function (nf) {
        return nf || Response.error();
      });
      return Response.error();
    });
  }));
});
