// Search box and results page for the rapport theme, over /search/search.js.
// Everything shown is built with DOM text nodes and <mark> elements, never
// innerHTML, so titles, excerpts and the query itself can never become markup.

const form = document.querySelector("form.site-search");
const page = document.querySelector("[data-search-page]");
const moduleUrl = form ? form.dataset.searchModule : new URL("search/search.js", document.baseURI).href;
let client = null;

// The theme's words, from the site's label table (English when missing).
const words = Object.assign(
  {
    search_searching: "Searching…",
    search_unavailable: "Search is unavailable.",
    search_none: "No results",
    search_none_for: "No results for “{query}”",
    search_one_for: "1 result for “{query}”",
    search_many: "{n} results found",
    search_many_for: "{n} results for “{query}”",
    search_with_tags: " tagged {tags}",
    search_all: "All results",
  },
  JSON.parse((form || page)?.dataset.labels || "{}"),
);

/** A label with its {placeholders} filled in. */
function say(key, values = {}) {
  return words[key].replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

function loadClient() {
  if (!client) {
    client = import(moduleUrl);
    client.catch(() => (client = null));
  }
  return client;
}

/** Text with the given [start, end) ranges wrapped in <mark>. */
function marked(text, ranges) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges || []) {
    if (start < at || end > text.length) continue;
    out.append(document.createTextNode(text.slice(at, start)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    out.append(mark);
    at = end;
  }
  out.append(document.createTextNode(text.slice(at)));
  return out;
}

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

function resultsUrl(query) {
  const url = new URL(form ? form.action : location.href);
  url.search = new URLSearchParams({ q: query }).toString();
  return url.href;
}

// ---- the header combobox ----

function setupBox() {
  const input = form.querySelector("input[role=combobox]");
  const list = form.querySelector("[role=listbox]");
  const status = form.querySelector(".site-search-status");
  let active = -1, seq = 0, timer = 0;

  const options = () => [...list.querySelectorAll("[role=option]")];
  const open = (yes) => {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", String(yes));
    if (!yes) select(-1);
  };
  const select = (i) => {
    const opts = options();
    active = opts.length ? Math.max(-1, Math.min(i, opts.length - 1)) : -1;
    opts.forEach((o, j) => o.setAttribute("aria-selected", String(j === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };

  const render = (query, results) => {
    list.replaceChildren();
    results.forEach((r, i) => {
      const title = el("span", "site-search-title", marked(r.title, r.titleHighlights));
      const link = el("a", "", title);
      if (r.group) link.prepend(el("span", "site-search-group", r.group));
      link.href = r.url;
      link.tabIndex = -1;
      if (r.section) link.append(el("span", "site-search-section", r.section));
      const li = el("li", "site-search-option", link, el("span", "site-search-excerpt", marked(r.excerpt, r.highlights)));
      li.id = `site-search-option-${i}`;
      li.setAttribute("role", "option");
      li.dataset.url = r.url;
      list.append(li);
    });
    if (!results.length) {
      const empty = el("li", "site-search-empty", say("search_none_for", { query }));
      empty.setAttribute("role", "presentation");
      list.append(empty);
    } else {
      const all = el("li", "site-search-all", el("a", "", say("search_all")));
      all.id = "site-search-option-all";
      all.setAttribute("role", "option");
      all.dataset.url = resultsUrl(query);
      all.firstChild.href = all.dataset.url;
      all.firstChild.tabIndex = -1;
      list.append(all);
    }
    status.textContent = results.length ? say("search_many", { n: results.length }) : say("search_none");
    list.dataset.query = query;
    open(true);
    select(-1);
  };

  const run = async () => {
    const query = input.value;
    const mine = ++seq;
    if (!query.trim()) {
      open(false);
      list.replaceChildren();
      return;
    }
    try {
      const { search } = await loadClient();
      const results = await search(query, { limit: 8 });
      if (mine === seq) render(query, results);
    } catch (e) {
      if (mine === seq) status.textContent = say("search_unavailable");
      console.error(e);
    }
  };

  // Loading starts on focus and on each keystroke, so the debounce hides it.
  const prefetch = () => loadClient().then((c) => c.prefetch && c.prefetch(input.value)).catch(() => {});
  input.addEventListener("focus", prefetch, { once: true });
  input.addEventListener("input", () => {
    prefetch();
    clearTimeout(timer);
    timer = setTimeout(run, 40);
  });
  input.addEventListener("keydown", (e) => {
    const n = options().length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden && input.value.trim()) open(true);
      if (n) select(e.key === "ArrowDown" ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      location.href = options()[active].dataset.url;
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        open(false);
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(() => open(false), 150));
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("click", (e) => {
    const option = e.target.closest("[role=option]");
    if (option) location.href = option.dataset.url;
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
}

// ---- the results page (/search/?q=...&tag=...) ----

function setupPage() {
  const input = page.querySelector("input[type=search]");
  const status = page.querySelector(".search-page-status");
  const list = page.querySelector(".search-page-results");
  const params = new URLSearchParams(location.search);
  const tags = params.getAll("tag");
  let seq = 0;

  const render = (query, results) => {
    list.replaceChildren();
    for (const r of results) {
      const link = el("a", "search-page-title", marked(r.title, r.titleHighlights));
      link.href = r.url;
      const head = el("h2", "", link);
      if (r.group) head.prepend(el("span", "search-page-group", r.group));
      if (r.section) head.append(el("span", "search-page-section", r.section));
      list.append(el("li", "search-page-result", head, el("p", "search-page-excerpt", marked(r.excerpt, r.highlights))));
    }
    const filter = tags.length ? say("search_with_tags", { tags: tags.map((t) => `“${t}”`).join(", ") }) : "";
    list.dataset.query = query;
    const count = results.length === 1 ? "search_one_for" : results.length ? "search_many_for" : "search_none_for";
    status.textContent = say(count, { n: results.length, query }) + filter;
  };

  const run = async (query) => {
    const mine = ++seq;
    if (!query.trim()) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = say("search_searching");
    try {
      const { search } = await loadClient();
      const results = await search(query, { limit: 50, tags });
      if (mine === seq) render(query, results);
    } catch (e) {
      if (mine === seq) status.textContent = say("search_unavailable");
      console.error(e);
    }
  };

  const query = params.get("q") || "";
  input.value = query;
  const boxInput = form && form.querySelector("input[role=combobox]");
  if (boxInput) boxInput.value = query;
  document.title = query ? `${query} · ${document.title}` : document.title;
  run(query);
  input.addEventListener("input", () => {
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
}

if (form) setupBox();
if (page) setupPage();
