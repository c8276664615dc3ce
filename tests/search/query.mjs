// Runs the built search client (SITE/search/search.js) in Node against the
// index files beside it, for tests/it/search_quality.rs. Usage:
//   node tests/search/query.mjs SITE_DIR QUERY...
// A QUERY starting with `{` is JSON: {"query": "...", "limit": 3, "tags": ["x"]}
// (options as search() takes them; limit is 10 otherwise).
// Prints one JSON line per query: the results as search() returns them.
// fetch() is served from SITE_DIR, as a static host would (404 when absent).
import { copyFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, ...queries] = process.argv.slice(2);
globalThis.fetch = async (url) => {
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response(null, { status: 404 });
  }
};
// Node reads `.js` as CommonJS outside a package of type module. The copy is
// named after this process: tests run at once, and one must never import a
// copy another is still writing.
const module = join(site, "search", `search-${process.pid}.mjs`);
copyFileSync(join(site, "search", "search.js"), module);
const { search } = await import(pathToFileURL(module).href).finally(() => rmSync(module));
for (const arg of queries) {
  const { query, ...options } = arg.startsWith("{") ? JSON.parse(arg) : { query: arg };
  console.log(JSON.stringify(await search(query, { limit: 10, ...options })));
}
