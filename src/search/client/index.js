// rapport search client (ES module, no dependencies, no WebAssembly). The
// build writes it as /search/search.js: this file (search(), words, loading,
// query terms) followed by rank.js (ranking, excerpts).
//
//   import { search } from "/search/search.js";
//   const results = await search("rupt", { limit: 10, tags: [] });
//   prefetch("rup");  // optional: load the manifest and dictionary shards early
//   // [{ url, title, section, group, excerpt, score, highlights, titleHighlights, tags }]
//   // section: the heading the excerpt is under; group: the site section of the page.
//
// The index beside this file is cut into small files (see src/search/ in
// rapport): index.json (manifest), d/<prefix>.dict (word forms → stems),
// p/<bucket>.post (the best postings of each stem), t/<hash>.post (the rest),
// f/<id>.frag (a document's text, for checking candidates and excerpts) and
// g/<hash>.tag (documents per tag) and c/<hash>.card (a common stem's top
// documents with their best section, which answer a one-word query without
// postings or fragments). A query fetches only what it needs.
// Everything returned is plain text: display it with text nodes.

const BASE = new URL("./", import.meta.url);
const files = new Map();
const buckets = new Map();
let manifest = null;

const PREFIX_STEMS = 4;
const TYPO_STEMS = 2;
const EXCERPT_WORDS = 28;
const MAX_TERMS = 12;
const WEIGHT = { exact: 1, joined: 0.9, stem: 0.9, prefix: 0.75, typo: 0.5 };
// Words as UAX #29 mostly sees them: letters, digits and `_`, joined across
// an apostrophe, a full stop or a colon. Runs of Han and kana (the ranges
// the index's tokenizer uses) are read as overlapping character pairs.
const WORD_RE = /[\p{L}\p{M}\p{N}_]+(?:['\u2019.:\u00b7][\p{L}\p{M}\p{N}_]+)*/gu;
const CJK = "\u3005-\u3007\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}";
const CJK_RE = new RegExp(`[${CJK}]`, "u");
const CJK_SPLIT_RE = new RegExp(`[${CJK}]+|[^${CJK}]+`, "gu");
const ASCII_RE = /^[\x00-\x7f]*$/;

/** Searches the site. Resolves to at most `limit` results, best first. */
export async function search(query, { limit = 10, tags = [] } = {}) {
  const m = await loadManifest();
  const parsed = parseQuery(String(query ?? "").slice(0, 500));
  if (!parsed.terms.length || limit <= 0) return [];
  const terms = await Promise.all(parsed.terms.map((t) => resolve(t, m)));
  await joinPairs(parsed.pairs, terms, m);
  const tagSets = await loadTagSets(tags);
  if (tagSets === null) return [];
  const q = { m, terms, phrases: parsed.phrases, tagSets, limit, masks: new Map(), starts: starts(terms) };
  const carded = await fromCard(q);
  if (carded) return carded.slice(0, limit).map((r) => present(r, q));
  await Promise.all(terms.map((t) => loadPostings(t, false)));
  let ranked = await rank(q);
  if (ranked.filter((r) => r.full).length < limit && terms.some((t) => !t.complete)) {
    await Promise.all(terms.map((t) => loadPostings(t, true)));
    ranked = await rank(q);
  }
  return ranked.slice(0, limit).map((r) => present(r, q));
}

/**
 * Starts loading what a search for `text` needs first (the manifest and its
 * words' dictionary shards), so that a box can hide that wait behind typing.
 */
export async function prefetch(text = "") {
  const m = await loadManifest();
  for (const t of parseQuery(String(text).slice(0, 500)).terms) load(`d/${keyFile(shardKey(t.word, m.split))}.dict`, true).catch(() => {});
}

/** Lower case without diacritics, as the index folds words. */
export function fold(word) {
  let w = ASCII_RE.test(word)
    ? word.toLowerCase()
    : word.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[\u2018\u2019\u02bc]/g, "'").toLowerCase();
  if (w.charCodeAt(0) === 39 || w.charCodeAt(w.length - 1) === 39) w = w.replace(/^'+|'+$/g, "");
  return w;
}

/** Calls `f(folded, start, end)` for each word of `text`. */
function eachWord(text, f) {
  const ascii = ASCII_RE.test(text);
  for (const m of text.matchAll(WORD_RE)) {
    if (ascii || !CJK_RE.test(m[0])) {
      const w = ascii ? m[0].toLowerCase() : fold(m[0]);
      if (w && w !== "'") f(w.charCodeAt(0) === 39 || w.charCodeAt(w.length - 1) === 39 ? fold(w) : w, m.index, m.index + m[0].length);
      continue;
    }
    for (const part of m[0].matchAll(CJK_SPLIT_RE)) {
      const at = m.index + part.index;
      if (CJK_RE.test(part[0])) bigrams(part[0], at, f);
      else for (const w of part[0].matchAll(WORD_RE)) f(fold(w[0]), at + w.index, at + w.index + w[0].length);
    }
  }
}

/** A run of CJK characters as overlapping pairs (a lone character as itself). */
function bigrams(run, at, f) {
  const chars = [...run];
  if (chars.length === 1) return f(fold(run), at, at + run.length);
  for (let i = 0, off = at; i + 1 < chars.length; off += chars[i].length, i++) {
    const pair = chars[i] + chars[i + 1];
    f(fold(pair), off, off + pair.length);
  }
}

/** Words of `text` with their offsets: [{ w (folded), start, end }]. */
export function words(text) {
  const out = [];
  eachWord(text, (w, start, end) => out.push({ w, start, end, mask: 0 }));
  return out;
}

// ---- loading ----

function load(path, json) {
  if (!files.has(path)) {
    const p = fetchFile(path, json);
    files.set(path, p);
    p.catch(() => files.delete(path));
  }
  return files.get(path);
}

/** A file of the index: every file but the `.json` ones is gzip, inflated as it arrives. */
async function fetchFile(path, json) {
  const res = await fetch(new URL(path, BASE));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`search: ${path}: HTTP ${res.status}`);
  const body = path.endsWith(".json") ? res : new Response(res.body.pipeThrough(new DecompressionStream("gzip")));
  return json ? body.json() : new Uint8Array(await body.arrayBuffer());
}

async function loadManifest() {
  if (!manifest) {
    manifest = load("index.json", true).then((m) => {
      if (!m) throw new Error("search: no index.json beside search.js");
      return { ...m, split: new Set(m.split) };
    });
    manifest.catch(() => (manifest = null));
  }
  return manifest;
}

function shardKey(word, split) {
  const chars = [...word];
  for (let n = CJK_RE.test(chars[0] || "") ? 1 : 2; ; n++) {
    const key = chars.slice(0, n).join("");
    if (chars.length < n || !split.has(key)) return key;
  }
}

function keyFile(key) {
  if (/^[a-z0-9]+$/.test(key)) return key;
  return "_" + [...new TextEncoder().encode(key)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const DECODER = new TextDecoder();

class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.i = 0;
  }
  varint() {
    let v = 0, mul = 1, byte;
    do {
      byte = this.b[this.i++];
      v += (byte & 0x7f) * mul;
      mul *= 128;
    } while (byte & 0x80);
    return v;
  }
  str() {
    const n = this.varint();
    const s = DECODER.decode(this.b.subarray(this.i, this.i + n));
    this.i += n;
    return s;
  }
}

/**
 * A postings bucket as stem → { df, tail, at }: one pass that skips every
 * head list, which is read (by `headOf`) only for the stems a query wants.
 */
async function loadBucket(n) {
  if (!buckets.has(n)) {
    buckets.set(n, load(`p/${n}.post`, false).then((bytes) => {
      const stems = new Map();
      if (!bytes) return stems;
      const r = new Reader(bytes);
      for (let k = r.varint(); k > 0; k--) {
        const stem = r.str(), df = r.varint(), tail = r.str(), at = r.i;
        for (let j = r.varint(); j > 0; j--) {
          while (bytes[r.i++] & 0x80);
          r.i++;
        }
        stems.set(stem, { df, tail, at, bytes, head: null });
      }
      return stems;
    }));
  }
  return buckets.get(n);
}

/** A stem's head postings, [[id, impact]], read once from its bucket. */
function headOf(entry) {
  if (!entry.head) {
    const r = new Reader(entry.bytes);
    r.i = entry.at;
    entry.head = [];
    for (let j = r.varint(); j > 0; j--) entry.head.push([r.varint(), r.b[r.i++]]);
  }
  return entry.head;
}

async function loadTail(name) {
  const bytes = await load(`t/${name}.post`, false);
  const out = [];
  if (!bytes) return out;
  const r = new Reader(bytes);
  let id = 0;
  for (let k = r.varint(); k > 0; k--) {
    id += r.varint();
    out.push([id, r.b[r.i++]]);
  }
  return out;
}

/** Sets of document ids per wanted tag; null when a tag is unknown. */
async function loadTagSets(tags) {
  const wanted = [...new Set((tags || []).map((t) => fold(String(t).trim())).filter(Boolean))];
  if (!wanted.length) return [];
  const names = (await load("tags.json", true)) || {};
  const sets = [];
  for (const tag of wanted) {
    if (!Object.hasOwn(names, tag)) return null;
    const r = new Reader((await load(`g/${names[tag]}.tag`, false)) || new Uint8Array([0]));
    const set = new Set();
    let id = 0;
    for (let k = r.varint(); k > 0; k--) set.add((id += r.varint()));
    sets.push(set);
  }
  return sets;
}

// ---- query terms ----

/**
 * Words and quoted phrases; the last word is a prefix while still being
 * typed. `pairs` are neighbouring unquoted words, which may be one word
 * written apart ("site map" for "sitemap").
 */
function parseQuery(query) {
  const terms = [], phrases = [], pairs = [], seen = new Map();
  const add = (w, prefix) => {
    const key = w + (prefix ? "*" : "");
    if (!seen.has(key) && terms.length < MAX_TERMS) seen.set(key, terms.push({ word: w, prefix }) - 1);
    return seen.get(key) ?? -1;
  };
  const parts = [...query.matchAll(/"([^"]*)("?)|[^"]+/g)];
  parts.forEach((p, i) => {
    const ws = words(p[1] ?? p[0]).map((t) => t.w);
    const quoted = p[1] !== undefined;
    if (quoted && ws.length > 1) {
      const phrase = ws.map((w) => add(w, false));
      if (!phrase.includes(-1)) phrases.push(phrase);
      return;
    }
    const typing = i === parts.length - 1 && !quoted && !/\s$/.test(query);
    let before = -1;
    ws.forEach((w, j) => {
      const ti = add(w, typing && j === ws.length - 1 && ([...w].length >= 2 || CJK_RE.test(w)));
      if (before >= 0 && ti >= 0 && ti !== before && !CJK_RE.test(w)) pairs.push([before, ti]);
      before = ti;
    });
  });
  return { terms, phrases, pairs };
}

function lowerBound(list, word) {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid][0] < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A query word's stems (exact, prefix completions, or failing those the
 * stem it extends or its nearest spellings) and the forms that match it.
 * With `exactOnly`, only the word itself and its completions.
 */
async function resolve(term, m, exactOnly = false) {
  const key = shardKey(term.word, m.split);
  const shard = (await load(`d/${keyFile(key)}.dict`, true)) || { w: [], s: [] };
  const stems = new Map();
  const pick = (idx, kind) => {
    const [stem, bucket, dfc] = shard.s[idx];
    if (!stems.has(stem)) stems.set(stem, { stem, bucket, dfc, kind, weight: WEIGHT[kind] });
  };
  const at = lowerBound(shard.w, term.word);
  if (shard.w[at]?.[0] === term.word) pick(shard.w[at][1], "exact");
  if (term.prefix && !(m.split.has(key) && key === term.word)) {
    const found = new Set();
    for (let i = at; i < shard.w.length && shard.w[i][0].startsWith(term.word); i++) found.add(shard.w[i][1]);
    best(found, shard, PREFIX_STEMS).forEach((i) => pick(i, "prefix"));
  }
  // A misspelling ("priorty"), else a form the site never uses ("boundary"
  // where it says "boundaries"): spellings come first, or "priorty" would
  // be read as "prior" with a suffix.
  if (!stems.size && !exactOnly) typos(term.word, shard).forEach((i) => pick(i, "typo"));
  if (!stems.size && !exactOnly) {
    const i = nearestStem(shard.s, term.word);
    if (i >= 0) pick(i, "stem");
  }
  const wanted = new Set([...stems.keys()]);
  const forms = new Set(shard.w.filter(([, s]) => wanted.has(shard.s[s][0])).map(([f]) => f));
  return { ...term, stems: [...stems.values()], forms, lists: new Map(), complete: true };
}

/**
 * The stem a word the site never uses extends: it may differ in its last
 * letter (y/i), and a short stem counts its last letter doubled before the
 * ending ("running" for "run", "sitting" for "sit") as a fourth.
 */
function nearestStem(stems, word) {
  let found = -1, foundLcp = 0;
  stems.forEach(([stem], i) => {
    let lcp = 0;
    while (lcp < stem.length && stem[lcp] === word[lcp]) lcp++;
    const doubled = lcp === stem.length && lcp > 0 && word[lcp] === stem[lcp - 1] ? 1 : 0;
    const ok = lcp + doubled >= Math.max(4, stem.length - 1) && word.length - lcp <= 4;
    if (ok && lcp > foundLcp) [found, foundLcp] = [i, lcp];
  });
  return found;
}

/** The `n` most frequent stems among stem indexes, shortest first on ties. */
function best(indexes, shard, n) {
  return [...indexes]
    .sort((a, b) => shard.s[b][2] - shard.s[a][2] || shard.s[a][0].length - shard.s[b][0].length || a - b)
    .slice(0, n);
}

/** Edits a word of this many letters may have: 1 from 4 letters, 2 from 8. */
function allowedEdits(word) {
  const n = [...word].length;
  return n >= 8 ? 2 : n >= 4 ? 1 : 0;
}

/** Stems of the shard's forms nearest `word` within its allowed edits: fewest edits, then most frequent. */
function typos(word, shard) {
  const k = allowedEdits(word);
  if (!k) return [];
  const dist = new Map();
  for (const [f, s] of shard.w) {
    if (Math.abs(f.length - word.length) > k) continue;
    const d = editDistance(word, f, k);
    if (d <= k && d < (dist.get(s) ?? Infinity)) dist.set(s, d);
  }
  return [...dist.keys()]
    .sort((a, b) => dist.get(a) - dist.get(b) || shard.s[b][2] - shard.s[a][2] || a - b)
    .slice(0, TYPO_STEMS);
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: a swap of two
 * neighbouring letters is one edit), or `k + 1` once it must exceed `k`.
 */
export function editDistance(a, b, k) {
  a = [...a];
  b = [...b];
  let prev2 = null, prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      row.push(v);
      low = Math.min(low, v);
    }
    if (low > k) return k + 1;
    [prev2, prev] = [prev, row];
  }
  return prev[b.length];
}

/** Neighbouring words that the site writes as one ("site map": sitemap) match it too. */
async function joinPairs(pairs, terms, m) {
  await Promise.all(pairs.map(async ([a, b]) => {
    const joined = await resolve({ word: terms[a].word + terms[b].word, prefix: terms[b].prefix }, m, true);
    for (const t of [terms[a], terms[b]]) {
      for (const s of joined.stems) {
        if (!t.stems.some((x) => x.stem === s.stem)) t.stems.push({ ...s, kind: "joined", weight: WEIGHT.joined });
      }
      joined.forms.forEach((f) => t.forms.add(f));
    }
  }));
}

/** Each stem's head postings, or with `full` its whole list. */
async function loadPostings(term, full) {
  term.complete = true;
  await Promise.all(term.stems.map(async (s) => {
    const entry = (await loadBucket(s.bucket)).get(s.stem) || { df: 0, tail: "", head: [] };
    s.df = entry.df;
    let list = headOf(entry);
    if (entry.tail && full) list = list.concat(await loadTail(entry.tail));
    else if (entry.tail) term.complete = false;
    term.lists.set(s.stem, list);
  }));
}
