// rapport search client (ES module, no dependencies, no WebAssembly). The
// build writes it as /search/search.js: this file (search(), words, loading,
// query terms) followed by rank.js (ranking, excerpts).
//
//   import { search } from "/search/search.js";
//   const results = await search("rupt", { limit: 10, tags: [] });
//   // [{ url, title, section, excerpt, score, highlights, titleHighlights, tags }]
//
// The index beside this file is cut into small files (see src/search/ in
// rapport): index.json (manifest), d/<prefix>.dict (word forms → stems),
// p/<bucket>.post (the best postings of each stem), t/<hash>.post (the rest),
// f/<id>.frag (a document's text, for checking candidates and excerpts) and
// g/<hash>.tag (documents per tag). A query fetches only what it needs.
// Everything returned is plain text: display it with text nodes.

const BASE = new URL("./", import.meta.url);
const files = new Map();
const buckets = new Map();
let manifest = null;

const PREFIX_STEMS = 4;
const TYPO_STEMS = 2;
const TYPO_MIN_CHARS = 5;
const EXCERPT_WORDS = 28;
const MAX_TERMS = 12;
const WEIGHT = { exact: 1, stem: 0.9, prefix: 0.75, typo: 0.5 };
// Words as UAX #29 mostly sees them: letters, digits and `_`, joined across
// an apostrophe, a full stop or a colon; Han and Hiragana one character each.
const WORD_RE = /[\p{L}\p{M}\p{N}_]+(?:['\u2019.:\u00b7][\p{L}\p{M}\p{N}_]+)*/gu;
const CJK_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const CJK_SPLIT_RE = /[\p{sc=Han}\p{sc=Hiragana}]|[\p{sc=Katakana}\u30fc]+|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc]+/gu;
const ASCII_RE = /^[\x00-\x7f]*$/;

/** Searches the site. Resolves to at most `limit` results, best first. */
export async function search(query, { limit = 10, tags = [] } = {}) {
  const m = await loadManifest();
  const parsed = parseQuery(String(query ?? "").slice(0, 500));
  if (!parsed.terms.length || limit <= 0) return [];
  const terms = await Promise.all(parsed.terms.map((t) => resolve(t, m)));
  const tagSets = await loadTagSets(tags);
  if (tagSets === null) return [];
  const q = { m, terms, phrases: parsed.phrases, tagSets, limit, masks: new Map(), starts: starts(terms) };
  await Promise.all(terms.map((t) => loadPostings(t, false)));
  let ranked = await rank(q);
  if (ranked.filter((r) => r.full).length < limit && terms.some((t) => !t.complete)) {
    await Promise.all(terms.map((t) => loadPostings(t, true)));
    ranked = await rank(q);
  }
  return ranked.slice(0, limit).map((r) => present(r, q));
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
      const w = fold(part[0]);
      if (w) f(w, m.index + part.index, m.index + part.index + part[0].length);
    }
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

async function fetchFile(path, json) {
  const res = await fetch(new URL(path, BASE));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`search: ${path}: HTTP ${res.status}`);
  let bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return json ? JSON.parse(new TextDecoder().decode(bytes)) : bytes;
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
  for (let n = 2; ; n++) {
    const key = chars.slice(0, n).join("");
    if (chars.length < n || !split.has(key)) return key;
  }
}

function keyFile(key) {
  if (/^[a-z0-9]+$/.test(key)) return key;
  return "_" + [...new TextEncoder().encode(key)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

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
    const s = new TextDecoder().decode(this.b.subarray(this.i, this.i + n));
    this.i += n;
    return s;
  }
}

async function loadBucket(n) {
  if (!buckets.has(n)) {
    buckets.set(n, load(`p/${n}.post`, false).then((bytes) => {
      const stems = new Map();
      if (!bytes) return stems;
      const r = new Reader(bytes);
      for (let k = r.varint(); k > 0; k--) {
        const stem = r.str(), df = r.varint(), tail = r.str(), head = [];
        for (let j = r.varint(); j > 0; j--) head.push([r.varint(), r.b[r.i++]]);
        stems.set(stem, { df, tail, head });
      }
      return stems;
    }));
  }
  return buckets.get(n);
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

/** Words and quoted phrases; the last word is a prefix while still being typed. */
function parseQuery(query) {
  const terms = [], phrases = [], seen = new Map();
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
    ws.forEach((w, j) => add(w, typing && j === ws.length - 1 && [...w].length >= 2));
  });
  return { terms, phrases };
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

/** A query word's stems (exact, prefix completions, one-typo neighbours) and matching forms. */
async function resolve(term, m) {
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
  if (!stems.size) {
    // A form the site never uses ("boundary" where it says "boundaries").
    const i = nearestStem(shard.s, term.word);
    if (i >= 0) pick(i, "stem");
  }
  if (!stems.size && [...term.word].length >= TYPO_MIN_CHARS) {
    const found = new Set(shard.w.filter(([f]) => oneEdit(term.word, f)).map(([, s]) => s));
    best(found, shard, TYPO_STEMS).forEach((i) => pick(i, "typo"));
  }
  const wanted = new Set([...stems.keys()]);
  const forms = new Set(shard.w.filter(([, s]) => wanted.has(shard.s[s][0])).map(([f]) => f));
  return { ...term, stems: [...stems.values()], forms, lists: new Map(), complete: true };
}

/** The stem a word the site never uses extends: it may differ in its last letter (y/i). */
function nearestStem(stems, word) {
  let found = -1, foundLcp = 0;
  stems.forEach(([stem], i) => {
    let lcp = 0;
    while (lcp < stem.length && stem[lcp] === word[lcp]) lcp++;
    const ok = lcp >= Math.max(4, stem.length - 1) && word.length - lcp <= 4;
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

function oneEdit(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Each stem's head postings, or with `full` its whole list. */
async function loadPostings(term, full) {
  term.complete = true;
  await Promise.all(term.stems.map(async (s) => {
    const entry = (await loadBucket(s.bucket)).get(s.stem) || { df: 0, tail: "", head: [] };
    s.df = entry.df;
    let list = entry.head;
    if (entry.tail && full) list = list.concat(await loadTail(entry.tail));
    else if (entry.tail) term.complete = false;
    term.lists.set(s.stem, list);
  }));
}
