// Measures search in headless Chromium over the DevTools protocol, for
// benches/search.sh. Usage:
//   node --experimental-websocket benches/search_browser.mjs BASE_URL ENGINE QUERY...
// ENGINE is `rapport` (/search/search.js) or `pagefind` (/pagefind/pagefind.js).
// BASE_URL serves the built site with bench.html (written by search.sh) at its root.
// For each query: a fresh browser context (empty cache) loads bench.html, which
// imports the engine, runs the query and loads the top 10 results with excerpts;
// it reports the bytes fetched from the index and the time taken (cold). Then,
// in one page with the engine loaded, each query runs once more (warm module,
// its index files possibly still to fetch). Prints one JSON object per line.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, engine, ...queries] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "rapport-bench-chromium-"));
const chrome = spawn(process.env.CHROMIUM || "/usr/bin/chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
], { stdio: "ignore", detached: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function endpoint() {
  for (let i = 0; i < 300; i++) {
    try {
      const [port, path] = readFileSync(join(profile, "DevToolsActivePort"), "utf8").split("\n");
      if (path) return `ws://127.0.0.1:${port}${path}`;
    } catch {}
    await sleep(50);
  }
  throw new Error("chromium did not start (apt-get install -y chromium)");
}

const ws = new WebSocket(await endpoint());
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
let nextId = 0;
const pending = new Map();
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.id && pending.has(m.id)) {
    const { ok, fail } = pending.get(m.id);
    pending.delete(m.id);
    m.error ? fail(new Error(JSON.stringify(m.error))) : ok(m.result);
  }
};
function call(method, params = {}, sessionId) {
  const id = ++nextId;
  ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  return new Promise((ok, fail) => pending.set(id, { ok, fail }));
}

async function openPage(url) {
  const { browserContextId } = await call("Target.createBrowserContext");
  const { targetId } = await call("Target.createTarget", { url: "about:blank", browserContextId });
  const { sessionId } = await call("Target.attachToTarget", { targetId, flatten: true });
  await call("Page.navigate", { url }, sessionId);
  return { sessionId, close: () => call("Target.disposeBrowserContext", { browserContextId }) };
}

async function result(sessionId) {
  for (let i = 0; i < 1200; i++) {
    const r = await call("Runtime.evaluate", { expression: "JSON.stringify(window.__bench)", returnByValue: true }, sessionId);
    if (r.result.value && r.result.value !== "undefined") return JSON.parse(r.result.value);
    await sleep(25);
  }
  throw new Error("bench page did not finish");
}

try {
  for (const q of queries) {
    const page = await openPage(`${base}/bench.html?engine=${engine}&q=${encodeURIComponent(q)}`);
    console.log(JSON.stringify({ mode: "cold", engine, query: q, ...(await result(page.sessionId)) }));
    await page.close();
  }
  const page = await openPage(`${base}/bench.html?engine=${engine}&warm=${encodeURIComponent(JSON.stringify(queries))}`);
  for (const r of await result(page.sessionId)) console.log(JSON.stringify({ mode: "warm", engine, ...r }));
  await page.close();
} finally {
  ws.close();
  try { process.kill(-chrome.pid, "SIGKILL"); } catch {}
  rmSync(profile, { recursive: true, force: true });
}
