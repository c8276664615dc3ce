// Runs every one-word query a built index has a card for twice, once with
// the cards (search/c/) and once as if they were absent (the client then
// ranks postings and fragments), for tests/it/search_cards.rs. Usage:
//   node tests/search/cards.mjs SITE_DIR [LIMIT] [EVERY]
// (LIMIT results per query, 10 by default; EVERY: only every EVERY-th query, 1 by default).
// The queries: each dictionary form of a stem with a card, complete ("word ")
// and still being typed ("word"), its first four letters, and the form with
// its last two letters swapped (a typo). Prints one JSON object:
// { queries, carded (queries a card answered), differ: [{ query, cards, fragments }] }.
import { copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, limitArg, everyArg] = process.argv.slice(2);
const limit = Number(limitArg || 10), every = Number(everyArg || 1);
let hideCards = false, cardsRead = 0;
globalThis.fetch = async (url) => {
  const path = fileURLToPath(url);
  if (path.includes("/search/c/")) {
    if (hideCards) return new Response(null, { status: 404 });
    cardsRead++;
  }
  try {
    return new Response(await readFile(path));
  } catch {
    return new Response(null, { status: 404 });
  }
};

// Two copies of the client: each keeps its own cache of loaded files.
async function client(name) {
  const module = join(site, "search", `${name}-${process.pid}.mjs`);
  copyFileSync(join(site, "search", "search.js"), module);
  return (await import(pathToFileURL(module).href).finally(() => rmSync(module))).search;
}
const withCards = await client("cards");
const withoutCards = await client("fragments");

const manifest = JSON.parse(readFileSync(join(site, "search", "index.json"), "utf8"));
const dir = join(site, "search", "d");
const queries = new Set();
for (const file of readdirSync(dir)) {
  const shard = JSON.parse(gunzipSync(readFileSync(join(dir, file))));
  for (const [form, s] of shard.w) {
    if (shard.s[s][2] < manifest.card_class || /[^\p{L}\p{N}]/u.test(form)) continue;
    queries.add(form);
    queries.add(form + " ");
    if (form.length > 4) queries.add(form.slice(0, 4));
    if (form.length > 5) queries.add(form.slice(0, -2) + form.at(-1) + form.at(-2));
  }
}

const chosen = [...queries].sort().filter((_, i) => i % every === 0);
const out = { queries: chosen.length, carded: 0, differ: [] };
for (const query of chosen) {
  const before = cardsRead;
  hideCards = false;
  const cards = JSON.stringify(await withCards(query, { limit }));
  if (cardsRead > before) out.carded++;
  hideCards = true;
  const fragments = JSON.stringify(await withoutCards(query, { limit }));
  if (cards !== fragments) out.differ.push({ query, cards: JSON.parse(cards), fragments: JSON.parse(fragments) });
}
console.log(JSON.stringify(out));
