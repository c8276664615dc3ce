// ---- ranking (the second half of /search/search.js: see index.js) ----

const F_TITLE = 0, F_HEADING = 1, F_TAGS = 2, F_DESCRIPTION = 3, F_BODY = 4;

function idf(m, df) {
  return Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
}

/** Candidates from the postings, checked and re-scored against their fragments. */
async function rank(q) {
  const cands = candidates(q);
  const checked = [];
  let full = 0;
  for (let i = 0; i < cands.length && full < q.limit && i < q.limit * 4; ) {
    const batch = cands.slice(i, (i += Math.max(q.limit, 5)));
    const frags = await Promise.all(batch.map((c) => load(`f/${c.id}.frag`, true)));
    batch.forEach((c, k) => {
      const r = frags[k] && check(c, frags[k], q);
      if (!r) return;
      checked.push(r);
      if (r.full) full++;
    });
  }
  return checked.sort(byRank);
}

/** The order of checked results: all terms, more terms, named after the query, score, URL. */
function byRank(a, b) {
  return (
    b.full - a.full ||
    b.matched - a.matched ||
    b.named - a.named ||
    b.score - a.score ||
    (a.frag.u < b.frag.u ? -1 : a.frag.u > b.frag.u ? 1 : 0)
  );
}

/**
 * A one-word query's results from its stem's card (see src/search/cards.rs),
 * checked and ordered as `rank` would the same documents from the postings
 * and fragments; null when the query needs those (more words or stems, a
 * tag filter, more results than a card holds, a stem without a card).
 */
async function fromCard(q) {
  const batch = Math.max(q.limit, 5);
  if (q.terms.length !== 1 || q.phrases.length || q.tagSets.length || batch > q.m.card_docs) return null;
  const [s, more] = q.terms[0].stems;
  if (!s || more || !(s.dfc >= q.m.card_class)) return null;
  const card = await load(`c/${fnv64(s.stem)}.card`, true);
  if (!card) return null;
  s.df = card.df;
  const w = (s.weight * idf(q.m, s.df) * q.m.max_impact) / 255;
  return card.d
    .slice(0, batch)
    .map(([id, impact, frag]) => check({ id, scores: [w * impact] }, frag, q))
    .filter(Boolean)
    .sort(byRank);
}

/** FNV-1a (64 bits) of a string's UTF-8 bytes, in hex: how the index names per-stem files. */
function fnv64(s) {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

/** Every document in a loaded postings list, with per-term scores (0: not seen). */
function candidates(q) {
  const byId = new Map(), n = q.terms.length;
  q.terms.forEach((t, ti) => {
    for (const s of t.stems) {
      const w = (s.weight * idf(q.m, s.df) * q.m.max_impact) / 255;
      for (const [id, impact] of t.lists.get(s.stem) || []) {
        let c = byId.get(id);
        if (!c) byId.set(id, (c = { id, scores: new Array(n).fill(0) }));
        c.scores[ti] = Math.max(c.scores[ti], w * impact);
      }
    }
  });
  const needed = new Set(q.phrases.flat());
  const list = [];
  for (const c of byId.values()) {
    if (!q.tagSets.every((set) => set.has(c.id))) continue;
    if ([...needed].some((ti) => q.terms[ti].complete && !c.scores[ti])) continue;
    c.matched = c.scores.filter((v) => v > 0).length;
    c.upper = c.matched + q.terms.filter((t, ti) => !t.complete && !c.scores[ti]).length;
    c.score = c.scores.reduce((a, b) => a + b, 0);
    list.push(c);
  }
  return list.sort((a, b) => b.upper - a.upper || b.matched - a.matched || b.score - a.score || a.id - b.id);
}

/** Which query terms a folded word matches, as a bit mask (cached per query). */
function maskOf(w, q) {
  let mask = q.masks.get(w);
  if (mask === undefined) {
    mask = 0;
    q.terms.forEach((t, ti) => {
      if (t.forms.has(w) || (t.prefix && w.startsWith(t.word))) mask |= 1 << ti;
    });
    q.masks.set(w, mask);
  }
  return mask;
}

/** A field's word count and its matching words: { n, hits: [{ i, start, end, mask }] }. */
function scan(text, q) {
  const hits = [];
  let n = 0;
  if (!ASCII_RE.test(text)) {
    eachWord(text, (w, start, end) => {
      const mask = maskOf(w, q);
      if (mask) hits.push({ i: n, start, end, mask });
      n++;
    });
    return { n, hits };
  }
  // The common case, without a match object per word: ASCII words, and a
  // look-up only for words whose first two letters some query form has.
  const lower = text.toLowerCase(), len = lower.length;
  const isWord = (c) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
  for (let i = 0; i < len; ) {
    while (i < len && !isWord(lower.charCodeAt(i))) i++;
    if (i >= len) break;
    const start = i;
    for (;;) {
      while (i < len && isWord(lower.charCodeAt(i))) i++;
      const c = lower.charCodeAt(i);
      if ((c === 39 || c === 46 || c === 58) && isWord(lower.charCodeAt(i + 1))) i++;
      else break;
    }
    const key = lower.charCodeAt(start) * 65536 + (i - start > 1 ? lower.charCodeAt(start + 1) : 0);
    if (q.starts.has(key)) {
      const mask = maskOf(lower.slice(start, i), q);
      if (mask) hits.push({ i: n, start, end: i, mask });
    }
    n++;
  }
  return { n, hits };
}

/** First two letters (as numbers) of every form and prefix the query matches. */
function starts(terms) {
  const set = new Set();
  const add = (w) => set.add(w.charCodeAt(0) * 65536 + (w.length > 1 ? w.charCodeAt(1) : 0));
  for (const t of terms) {
    t.forms.forEach(add);
    if (t.prefix) add(t.word);
  }
  return set;
}

function analyse(frag, q) {
  return {
    title: scan(frag.t, q),
    aliases: (frag.a || []).map((a) => scan(a, q)),
    description: scan(frag.d || "", q),
    tags: (frag.g || []).map((t) => scan(t, q)),
    sections: frag.s.map(([, heading, text]) => ({ heading: scan(heading, q), text: scan(text, q) })),
  };
}

/** Checks a candidate against its text: exact matches, phrases, full score. */
function check(c, frag, q) {
  const doc = analyse(frag, q);
  const fields = [[F_TITLE, doc.title], ...doc.aliases.map((a) => [F_TITLE, a]), [F_DESCRIPTION, doc.description], ...doc.tags.map((t) => [F_TAGS, t])];
  for (const s of doc.sections) fields.push([F_HEADING, s.heading], [F_BODY, s.text]);
  if (!q.phrases.every((p) => fields.some(([, field]) => hasPhrase(field.hits, p)))) return null;
  const tf = q.terms.map(() => [0, 0, 0, 0, 0]);
  let dl = 0;
  for (const [f, field] of fields) {
    dl += field.n;
    for (const h of field.hits) for (let ti = 0; ti < tf.length; ti++) if ((h.mask >> ti) & 1) tf[ti][f]++;
  }
  const { k1, b, avgdl, weights, title_bonus } = q.m;
  const scores = q.terms.map((t, ti) => {
    if (c.scores[ti] > 0) return c.scores[ti];
    const wtf = tf[ti].reduce((a, v, f) => a + v * weights[f], 0);
    if (!wtf || !t.stems.length) return 0;
    const s = t.stems[0];
    const norm = k1 * (1 - b + (b * dl) / avgdl);
    const bonus = tf[ti][F_TITLE] ? title_bonus : 0;
    return s.weight * idf(q.m, s.df) * ((wtf * (k1 + 1)) / (wtf + norm) + bonus);
  });
  const matched = scores.filter((v) => v > 0).length;
  if (!matched) return null;
  const sum = scores.reduce((a, v) => a + v, 0);
  const ordered = q.terms.length > 1 && [doc.title, ...doc.sections.map((s) => s.heading)].some((f) => inOrder(f.hits, q));
  return { frag, doc, matched, full: matched === q.terms.length, named: named(frag, q) ? 1 : 0, score: ordered ? sum * ORDERED_BONUS : sum };
}

/** A heading (or the title) holding every query word in order scores this much more. */
const ORDERED_BONUS = 1.5;

/** Whether the hits hold each query term in turn (other words may come between). */
function inOrder(hits, q) {
  let ti = 0;
  for (const h of hits) if (ti < q.terms.length && (h.mask >> ti) & 1) ti++;
  return ti === q.terms.length;
}

/** Whether the page's title or one of its aliases is the query itself. */
function named(frag, q) {
  if (q.exactName === undefined) q.exactName = q.terms.map((t) => t.word).join(" ");
  const same = (name) => words(name).map((t) => t.w).join(" ") === q.exactName;
  return same(frag.t) || (frag.a || []).some(same);
}

/** Whether the phrase's terms match consecutive words. */
function hasPhrase(hits, phrase) {
  const at = new Map(hits.map((h) => [h.i, h.mask]));
  return hits.some((h) => phrase.every((ti, j) => ((at.get(h.i + j) ?? 0) >> ti) & 1));
}

// ---- results ----

/** The result as the contract describes it: best section, excerpt, highlights. */
function present(r, q) {
  const { frag, doc } = r;
  const distinct = (hits) => bits(hits.reduce((m, h) => m | h.mask, 0));
  let best = 0, bestValue = -1;
  doc.sections.forEach((s, i) => {
    const textHits = s.text.hits.length;
    const value =
      distinct([...s.heading.hits, ...s.text.hits]) * 1e6 + (textHits ? 1e5 : 0) + textHits + 3 * s.heading.hits.length;
    if (value > bestValue) [best, bestValue] = [i, value];
  });
  const section = frag.s[best] || ["", "", ""];
  const text = section[2] || frag.d || "";
  const excerpt = cut(text, marked(text, q), q, (section[2] && frag.e) || [false, false]);
  return {
    url: frag.u + (section[0] ? "#" + section[0] : ""),
    title: frag.t,
    section: section[1],
    group: frag.c || "",
    excerpt: excerpt.text,
    score: Math.round(r.score * 1000) / 1000,
    highlights: excerpt.highlights,
    titleHighlights: doc.title.hits.map((h) => [h.start, h.end]),
    tags: frag.g || [],
  };
}

/** Every word of `text` with its term mask. */
function marked(text, q) {
  const toks = words(text);
  for (const t of toks) t.mask = maskOf(t.w, q);
  return toks;
}

function bits(mask) {
  let n = 0;
  for (; mask; mask &= mask - 1) n++;
  return n;
}

/**
 * A window of about EXCERPT_WORDS words around the densest matches. A card's
 * text is that window already: `cutBefore` and `cutAfter` say whether words
 * were left out around it.
 */
function cut(text, toks, q, [cutBefore, cutAfter]) {
  if (!toks.length) return { text: "", highlights: [] };
  const n = Math.min(EXCERPT_WORDS, toks.length);
  let bestStart = 0, bestValue = -1;
  const counts = new Array(q.terms.length).fill(0);
  const value = () => counts.filter((c) => c > 0).length * 1000 + counts.reduce((a, c) => a + c, 0);
  const add = (tok, d) => q.terms.forEach((_, ti) => (tok.mask >> ti) & 1 && (counts[ti] += d));
  for (let i = 0; i < toks.length; i++) {
    add(toks[i], 1);
    if (i >= n) add(toks[i - n], -1);
    if (i >= n - 1 && value() > bestValue) [bestValue, bestStart] = [value(), i - n + 1];
  }
  const first = toks.slice(bestStart, bestStart + n).findIndex((t) => t.mask);
  const start = first < 0 ? bestStart : Math.max(0, Math.min(bestStart + first - 3, toks.length - n));
  const end = Math.min(toks.length, start + n);
  const from = start === 0 ? 0 : toks[start].start;
  const to = end === toks.length ? text.length : toks[end - 1].end;
  const lead = from > 0 || cutBefore ? "… " : "";
  const highlights = toks
    .slice(start, end)
    .filter((t) => t.mask)
    .map((t) => [t.start - from + lead.length, t.end - from + lead.length]);
  return { text: lead + text.slice(from, to).trimEnd() + (to < text.length || cutAfter ? " …" : ""), highlights };
}
