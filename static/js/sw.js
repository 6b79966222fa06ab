// The service worker of the phone's offline entry (issue 31), served at /sw.js by config/offline.py,
// which puts CONFIG before this text. It keeps the committee and assessment pages each user opened
// online (in a cache named by that user's opaque key, which the server gives in a header), serves
// them when the network fails, keeps the edits saved offline in IndexedDB and sends them through
// the page's own save when the network returns. Every edit carries the version it was made on: the
// server refuses a stale one and says who saved what, so nothing is ever overwritten unseen.
/* global CONFIG */
"use strict";

var STATIC = "soket-static-" + CONFIG.version;
var USER = "soket-user-";
// "/", a committee's page and its assessment page: what a secretary needs offline.
var KEPT = /^\/(committees\/[^/]+\/(assess\/)?)?$/;
var SYNC_TAG = "soket-edits";
var DEVICE = "soket-device";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC)
      .then(function (cache) { return cache.addAll(CONFIG.precache.concat(Object.values(CONFIG.offline))); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) {
          return k.indexOf("soket-static-") === 0 && k !== STATIC;
        }).map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && url.pathname === CONFIG.logout) {
    // Whatever the page did before, the device forgets the user as the logout leaves.
    event.waitUntil(forgetUser());
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, request, url));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(event, request));
  }
});

async function userCache() {
  var keys = await caches.keys();
  var name = keys.find(function (k) { return k.indexOf(USER) === 0; });
  return name ? { key: name.slice(USER.length), cache: await caches.open(name) } : null;
}

async function navigate(event, request, url) {
  try {
    var response = await fetch(request);
    if (KEPT.test(url.pathname)) {
      event.waitUntil(keep(request.url, response.clone()).catch(function () {}));
    }
    return response;
  } catch (offline) {
    return (await kept(url)) || offlinePage();
  }
}

// Only a page the server marked as this user's, as it came: never a login page, never an error.
async function keep(address, response) {
  var key = response.headers.get(CONFIG.userHeader);
  var type = response.headers.get("Content-Type") || "";
  if (!key || response.status !== 200 || type.indexOf("text/html") !== 0) {
    return;
  }
  var keys = await caches.keys();
  await Promise.all(keys.filter(function (k) {
    return k.indexOf(USER) === 0 && k !== USER + key;  // another user's pages: gone, never shown
  }).map(function (k) { return caches.delete(k); }));
  var html = await response.text();
  var headers = new Headers();
  headers.set("Content-Type", type);
  headers.set("X-Kept-At", String(Date.now()));
  var cache = await caches.open(USER + key);
  // The page learns it came from the device, and when it was fetched, by this mark.
  var marked = html.replace("<html ", "<html data-kept=\"" + Date.now() + "\" ");
  await cache.put(address, new Response(marked, { headers: headers }));
  var language = response.headers.get("Content-Language");
  if (language) {
    // The device's language, like the language cookie, outlives the user's session.
    await (await caches.open(DEVICE)).put("/__language", new Response(language));
  }
}

// Asked by a page: itself when it loaded before the worker controlled it, and the assessment page
// its committee page links to, so one visit online is enough for both to open offline.
async function keepPages(urls, refresh) {
  var user = await userCache();
  for (var i = 0; i < urls.length; i += 1) {
    var url = new URL(urls[i], self.location.href);
    if (url.origin !== self.location.origin || !KEPT.test(url.pathname)) {
      continue;
    }
    if (!refresh[i] && user && (await user.cache.match(url.href))) {
      continue;
    }
    try {
      await keep(url.href, await fetch(url.href, { credentials: "same-origin" }));
    } catch (offline) {
      return;
    }
    user = await userCache();
  }
}

async function kept(url) {
  var user = await userCache();
  if (!user) {
    return null;
  }
  var hit = await user.cache.match(url.href, { ignoreVary: true });
  if (hit || url.pathname !== "/") {
    return hit || null;
  }
  // "/" (the installed app's start) sends a user to their committee: the newest kept one.
  var newest = null;
  var requests = await user.cache.keys();
  for (var i = 0; i < requests.length; i += 1) {
    var path = new URL(requests[i].url).pathname;
    if (/^\/committees\/[^/]+\/$/.test(path)) {
      var at = Number((await user.cache.match(requests[i])).headers.get("X-Kept-At"));
      if (!newest || at > newest.at) {
        newest = { at: at, url: requests[i].url };
      }
    }
  }
  return newest ? Response.redirect(newest.url, 302) : null;
}

async function offlinePage() {
  var stored = await (await caches.open(DEVICE)).match("/__language");
  var language = stored ? await stored.text() : CONFIG.language;
  var hit = await caches.match(CONFIG.offline[language] || CONFIG.offline[CONFIG.language]);
  return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

async function staticFile(event, request) {
  var cache = await caches.open(STATIC);
  var hit = await cache.match(request);
  if (hit && CONFIG.hashedStatic) {
    return hit;  // a hashed name never changes its content
  }
  try {
    var response = await fetch(request);
    if (response.ok) {
      event.waitUntil(cache.put(request, response.clone()));
    }
    return response;
  } catch (offline) {
    return hit || (await earlier(cache, request.url)) || Response.error();
  }
}

// A page kept before a deployment names the static files of then ("site.3f2a….css"); offline, the
// same file of now stands in for it rather than a page without its stylesheet.
var HASHED = /\.[0-9a-f]{12}(\.[a-z0-9]+)$/;

async function earlier(cache, address) {
  var plain = address.replace(HASHED, "$1");
  var requests = await cache.keys();
  var same = requests.find(function (r) { return r.url.replace(HASHED, "$1") === plain; });
  return same ? cache.match(same) : null;
}

// ---- edits kept on the device --------------------------------------------------------------
// One record per (user, indicator): {id, user, pk, page, label, fields, token, savedAt, state,
// server?, errors?}. `fields` are the row's inputs as the form posts them, its version included.

function database() {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open("soket-offline", 1);
    open.onupgradeneeded = function () {
      open.result.createObjectStore("edits", { keyPath: "id" }).createIndex("user", "user");
    };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
}

async function edits(mode, work) {
  var db = await database();
  return new Promise(function (resolve, reject) {
    var tx = db.transaction("edits", mode);
    var result = work(tx.objectStore("edits"));
    tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
    tx.onerror = function () { db.close(); reject(tx.error); };
  });
}

function editsOf(key) {
  return edits("readonly", function (store) { return store.index("user").getAll(key); });
}

function putEdits(records) {
  return edits("readwrite", function (store) { records.forEach(function (r) { store.put(r); }); });
}

function dropEdits(ids) {
  return edits("readwrite", function (store) { ids.forEach(function (id) { store.delete(id); }); });
}

async function forgetUser() {
  var keys = await caches.keys();
  var users = keys.filter(function (k) { return k.indexOf(USER) === 0; });
  await Promise.all(users.map(async function (name) {
    var mine = await editsOf(name.slice(USER.length));
    await dropEdits(mine.map(function (r) { return r.id; }));
    await caches.delete(name);
  }));
}

async function store(page, records) {
  var user = await userCache();
  if (!user) {
    return { ok: false };
  }
  var before = {};
  (await editsOf(user.key)).forEach(function (r) { before[r.id] = r; });
  records.forEach(function (r) {
    r.user = user.key;
    r.id = user.key + ":" + r.pk;
    r.page = page;
    r.state = "pending";
    var old = before[r.id];
    if (old && old.state === "conflict") {
      // Edited again beside the colleague's value: still the secretary's choice to make.
      r.state = "conflict";
      r.server = old.server;
    }
  });
  await putEdits(records);
  return { ok: true };
}

async function listing(page) {
  var user = await userCache();
  if (!user) {
    return [];
  }
  return (await editsOf(user.key)).filter(function (r) { return !page || r.page === page; });
}

var flushing = null;

// One send at a time: two sends of the same edit would find the second stale against the first.
function flush() {
  if (!flushing) {
    flushing = sendAll().finally(function () { flushing = null; });
  }
  return flushing;
}

async function sendAll() {
  var records = (await listing(null)).filter(function (r) { return r.state === "pending"; });
  var pages = {};
  records.forEach(function (r) { (pages[r.page] = pages[r.page] || []).push(r); });
  var outcome = { sent: 0, conflicts: 0, invalid: 0, message: "" };
  for (var page in pages) {
    var answer = await send(page, pages[page]);
    if (answer.error) {
      outcome.message = answer.error;
      break;
    }
    var done = [];
    var changed = [];
    pages[page].forEach(function (r) {
      var result = answer.indicators[r.pk] || { state: "invalid", errors: [] };
      if (result.state === "accepted" || result.state === "unchanged") {
        done.push(r.id);
        outcome.sent += 1;
      } else {
        r.state = result.state;
        r.server = result.server;
        r.errors = result.errors;
        changed.push(r);
        outcome[result.state === "conflict" ? "conflicts" : "invalid"] += 1;
      }
    });
    await dropEdits(done);
    await putEdits(changed);
  }
  var windows = await self.clients.matchAll({ type: "window" });
  windows.forEach(function (w) { w.postMessage({ type: "sent", outcome: outcome }); });
  return outcome;
}

// The page's own save, as its form posts it (CSRF token, session cookie), answered in JSON.
async function send(page, records) {
  var token = records[records.length - 1].token;
  for (var attempt = 0; attempt < 2; attempt += 1) {
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", token);
    records.forEach(function (r) {
      Object.keys(r.fields).forEach(function (name) { body.append(name, r.fields[name]); });
    });
    var response;
    try {
      response = await fetch(page, {
        method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
    } catch (offline) {
      return { error: "offline" };
    }
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      var data = await response.json();
      return data.locked ? { error: data.locked } : data;
    }
    if (response.status !== 403 || attempt) {
      return { error: response.redirected ? "login" : "status " + response.status };
    }
    // A token from an earlier session: read the current one from the page itself, once.
    try {
      var html = await (await fetch(page, { credentials: "same-origin" })).text();
      var found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
      if (!found) {
        return { error: "login" };
      }
      token = found[1];
    } catch (offline) {
      return { error: "offline" };
    }
  }
  return { error: "csrf" };
}

async function resolve(id, choice) {
  var records = await listing(null);
  var record = records.find(function (r) { return r.id === id; });
  if (!record) {
    return;
  }
  if (choice === "server") {
    await dropEdits([id]);
    return;
  }
  // Keep mine: sent again on the version the secretary has now seen.
  var prefix = "i" + record.pk + "-";
  record.fields[prefix + "version"] = String(record.server.version);
  record.fields[prefix + "orig"] = record.server.orig;
  record.state = "pending";
  record.server = null;
  await putEdits([record]);
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (value) { if (event.ports[0]) { event.ports[0].postMessage(value); } };
  var work;
  if (data.type === "store") {
    work = store(data.page, data.records);
  } else if (data.type === "keep") {
    work = keepPages(data.urls, data.refresh);
  } else if (data.type === "list") {
    work = listing(data.page);
  } else if (data.type === "send") {
    work = flush();
  } else if (data.type === "resolve") {
    work = resolve(data.id, data.choice);
  } else if (data.type === "logout") {
    work = forgetUser();
  } else {
    return;
  }
  event.waitUntil(work.then(reply, function (error) { reply({ error: String(error) }); }));
});

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) {
    // Rejected while still offline, so the browser tries again later.
    event.waitUntil(flush().then(function (outcome) {
      if (outcome.message === "offline") {
        throw new Error("offline");
      }
    }));
  }
});
