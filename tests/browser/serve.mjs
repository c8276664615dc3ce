// A static server over a built site, shared by the browser checks: folders
// serve index.html, anything missing serves 404.html with status 404.
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { join, normalize, extname, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".xml": "application/xml", ".png": "image/png", ".svg": "image/svg+xml",
  ".ico": "image/x-icon", ".txt": "text/plain",
};

// A static server over a built site: folders serve index.html, anything
// missing serves 404.html with status 404. `changed` maps a path to the body
// it answers with instead (a page edited since it was cached).
export function serve(dir, changed = new Map()) {
  const server = createServer((req, res) => {
    let path;
    try { path = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { path = "/"; }
    if (changed.has(path)) {
      res.writeHead(200, { "content-type": TYPES[".html"] });
      res.end(changed.get(path));
      return;
    }
    let file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir + sep)) && file !== normalize(dir)) file = join(dir, "404.html");
    try { if (statSync(file).isDirectory()) file = join(file, "index.html"); } catch { /* missing */ }
    let status = 200, body;
    try { body = readFileSync(file); } catch { status = 404; file = join(dir, "404.html"); body = readFileSync(file); }
    res.writeHead(status, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
export const stop = (server) => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
