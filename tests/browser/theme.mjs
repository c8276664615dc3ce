// Behaviour of the rapport theme in headless Chromium, at 375 and 1280 px in
// light and dark: the phone drawer, the reachable header and back-to-top,
// the favicon, touch previews, glossary links, offline reading with the
// server gone, the section print view, wide tables and the 404 page. Every
// state is checked with axe-core, every page for requests leaving the site
// and for its weight. Driven by tests/it/theme_browser.rs with a JSON config:
//   { chromium, screenshots, sites: [{name, dir}], bundled, furniture, french }
// Prints one JSON report on stdout; exits 1 when anything failed.

import { chromium } from "playwright-core";
import { serve, stop } from "./serve.mjs";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
const WIDTHS = [375, 1280];
const SCHEMES = ["light", "dark"];
const WEIGHT_BUDGET = 60000;
mkdirSync(config.screenshots, { recursive: true });


const report = { checks: [], failures: [], weights: [] };
const fail = (what) => report.failures.push(what);
function assert(cond, msg) { if (!cond) throw new Error(msg); }

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    report.checks.push({ name, ok: true, ms: Date.now() - started });
  } catch (e) {
    report.checks.push({ name, ok: false, error: String((e && e.message) || e) });
    fail(`${name}: ${(e && e.message) || e}`);
  }
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const sites = {};
const servers = [];

// One tab at a width and scheme; phones get touch. Records every request
// and response so each check can assert none left the site and none failed.
async function open(site, path, { width = 1280, scheme = "light", js = true, origin } = {}) {
  const mobile = width < 600;
  const context = await browser.newContext({
    viewport: { width, height: mobile ? 740 : 900 }, colorScheme: scheme, isMobile: mobile, hasTouch: mobile,
    deviceScaleFactor: 1, javaScriptEnabled: js, reducedMotion: "reduce", serviceWorkers: "allow",
  });
  const base = origin || sites[site];
  const requests = [], bad = [], weights = [];
  context.on("request", (r) => requests.push(r.url()));
  context.on("response", async (r) => {
    const type = r.request().resourceType();
    if (r.status() >= 400 && !(type === "document" && r.status() === 404)) bad.push(`${r.status()} ${r.url()}`);
    if (["document", "stylesheet", "script"].includes(type) && r.url().startsWith(base)) {
      try { weights.push(gzipSync(await r.body()).length); } catch { /* body gone with a navigation */ }
    }
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const response = await page.goto(base + path, { waitUntil: "load" });
  await page.waitForTimeout(100);
  const t = { context, page, requests, bad, errors, weights, status: response ? response.status() : 0, base, width, scheme };
  t.label = `${site}${path} ${width}px ${scheme}`;
  return t;
}

// Zero axe violations in the page's current state.
async function axe(t, state) {
  await t.page.addScriptTag({ content: axeSource });
  const v = await t.page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((x) => `${x.id} (${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
  }, AXE_TAGS);
  assert(v.length === 0, `${t.label} ${state}: axe violations: ${v.join("; ")}`);
}

// What every check ends with: nothing left the site, nothing failed, no script error.
function clean(t) {
  const foreign = t.requests.filter((u) => !u.startsWith(t.base + "/") && !u.startsWith("data:"));
  assert(foreign.length === 0, `${t.label}: requests outside the site: ${foreign.join(", ")}`);
  assert(t.bad.length === 0, `${t.label}: failed requests: ${t.bad.join(", ")}`);
  assert(t.errors.length === 0, `${t.label}: script errors: ${t.errors.join("; ")}`);
}

const shot = (t, name, fullPage = false) =>
  t.page.screenshot({ path: join(config.screenshots, `theme-${name}-${t.width}-${t.scheme}.png`), fullPage });

async function everyView(name, site, path, fn) {
  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      await check(`${name} at ${width}px ${scheme}`, async () => {
        const t = await open(site, path, { width, scheme });
        try {
          await fn(t);
          clean(t);
        } finally { await t.context.close(); }
      });
    }
  }
}

const focusedIn = (page, sel) => page.evaluate((s) => !!document.activeElement.closest(s), sel);
const activeClass = (page) => page.evaluate(() => document.activeElement.className || document.activeElement.tagName);

try {
  for (const site of config.sites) {
    const server = await serve(site.dir);
    servers.push(server);
    sites[site.name] = `http://127.0.0.1:${server.address().port}`;
  }
  const B = config.bundled; // { site, article, section, glossary_term, missing, missing_suggests }
  const F = config.furniture; // { site, article } (a wide table)
  const FR = config.french; // { site, article }

  // Page, section and 404 of each site: screenshot, axe, requests, weight.
  for (const [site, path, name, status] of [
    [B.site, B.article, "page", 200], [B.site, B.section, "section", 200], [B.site, B.missing, "404", 404],
    [F.site, F.article, "furniture", 200], [FR.site, FR.article, "french", 200],
  ]) {
    await everyView(`${name} reads, weighs under 60 kB gz and passes axe`, site, path, async (t) => {
      assert(t.status === status, `${t.label}: HTTP ${t.status}`);
      await shot(t, name, true);
      await axe(t, "as loaded");
      const weight = t.weights.reduce((a, b) => a + b, 0);
      report.weights.push({ page: t.label, gzip: weight });
      assert(weight > 0 && weight <= WEIGHT_BUDGET, `${t.label}: ${weight} B gz is over ${WEIGHT_BUDGET}`);
      const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 0, `${t.label}: the page scrolls sideways by ${overflow}px`);
    });
  }

  // 1. The phone drawer.
  await everyView("nav drawer opens in place, traps focus, closes by Escape, button and tap outside", B.site, B.article, async (t) => {
    const { page } = t;
    const menu = page.locator(".nav-jump");
    if (t.width >= 900) {
      assert(!(await menu.isVisible()), "Menu shown beside a visible sidebar");
      assert(await page.locator("#site-nav .nav-tree").isVisible(), "sidebar nav not shown");
      assert(!(await page.locator(".drawer-close").isVisible()), "drawer close button shown on a wide screen");
      return;
    }
    const scrolled = await page.evaluate(() => { window.scrollTo(0, 600); return window.scrollY; });
    await page.evaluate(() => window.scrollTo(0, 0));
    assert(scrolled > 0, "article too short to tell a jump from opening in place");
    await menu.tap();
    const nav = page.locator("#site-nav.is-drawer");
    await nav.waitFor({ state: "visible", timeout: 5000 });
    assert((await page.evaluate(() => window.scrollY)) === 0, "opening the drawer scrolled the page");
    const box = await nav.boundingBox();
    assert(box.x === 0 && box.y === 0 && box.height >= 700, `drawer not over the page: ${JSON.stringify(box)}`);
    assert((await menu.getAttribute("aria-expanded")) === "true", "Menu not marked expanded");
    assert((await activeClass(page)) === "drawer-close", `focus went to ${await activeClass(page)}`);
    await shot(t, "drawer-open");
    await axe(t, "drawer open");
    // Targets of 44 px: every visible row of the tree and the close button.
    const small = await page.$$eval("#site-nav .nav-tree a, #site-nav .nav-tree summary, .drawer-close", (ns) =>
      ns.filter((n) => n.checkVisibility()).map((n) => [n.textContent.trim().slice(0, 30), n.getBoundingClientRect().height])
        .filter(([, h]) => h < 44));
    assert(small.length === 0, `touch targets under 44px: ${JSON.stringify(small.slice(0, 5))}`);
    // Focus trap: Tab through everything and past the end, Shift+Tab back past the start.
    const stops = await page.$$eval("#site-nav a[href], #site-nav summary, #site-nav button", (ns) => ns.filter((n) => n.checkVisibility()).length);
    for (let i = 0; i < stops + 2; i++) {
      await page.keyboard.press("Tab");
      assert(await focusedIn(page, "#site-nav"), `Tab ${i + 1} left the drawer for ${await activeClass(page)}`);
    }
    await page.locator(".drawer-close").focus();
    await page.keyboard.press("Shift+Tab");
    assert(await focusedIn(page, "#site-nav"), "Shift+Tab from the first stop left the drawer");
    await page.keyboard.press("Escape");
    await page.locator("#site-nav.is-drawer").waitFor({ state: "detached", timeout: 5000 });
    assert((await activeClass(page)).includes("nav-jump"), "Escape did not return focus to Menu");
    assert((await menu.getAttribute("aria-expanded")) === "false", "Menu still marked expanded");
    // The close button, then a tap outside the drawer.
    await menu.tap();
    await page.locator(".drawer-close").tap();
    await page.locator("#site-nav.is-drawer").waitFor({ state: "detached", timeout: 5000 });
    assert((await activeClass(page)).includes("nav-jump"), "close button did not return focus to Menu");
    await menu.tap();
    await page.locator(".drawer-backdrop").waitFor({ state: "visible", timeout: 5000 });
    await page.touchscreen.tap(t.width - 10, 400);
    await page.locator("#site-nav.is-drawer").waitFor({ state: "detached", timeout: 5000 });
    assert(await page.locator("main").evaluate((m) => !m.inert), "page left inert after closing");
  });

  await check("without JavaScript Menu is a plain link down to the nav", async () => {
    const t = await open(B.site, B.article, { width: 375, js: false });
    try {
      const menu = t.page.locator(".nav-jump");
      assert((await menu.getAttribute("href")) === "#site-nav", "Menu is no link to the nav");
      await menu.click();
      await t.page.waitForFunction(() => location.hash === "#site-nav");
      const top = await t.page.locator("#site-nav").evaluate((n) => n.getBoundingClientRect().top);
      assert(top < 740, `nav not scrolled into view (top ${top})`);
      assert(!(await t.page.locator(".drawer-close").isVisible()), "close button shown without JavaScript");
      await shot(t, "nojs-menu");
    } finally { await t.context.close(); }
  });

  // 2. The header stays reachable, with search; back to top on long pages.
  await everyView("header with search stays reachable and back-to-top returns", B.site, B.article, async (t) => {
    const { page } = t;
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert(height > 3 * (t.width < 600 ? 740 : 900), "article too short for this check");
    const headerTop = () => page.locator(".site-header").evaluate((h) => h.getBoundingClientRect().top);
    const searchShown = () => page.locator("#site-search-input").evaluate((i) => {
      const r = i.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
    });
    await page.mouse.wheel(0, 2500);
    await page.waitForTimeout(300);
    if (t.width < 600) {
      assert((await headerTop()) < 0, "phone header did not slide away while reading down");
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(300);
    }
    assert((await headerTop()) === 0, `header not at the top after scrolling (top ${await headerTop()})`);
    assert(await searchShown(), "search box not on screen after scrolling");
    const back = page.locator(".back-to-top.is-floating");
    await back.waitFor({ state: "visible", timeout: 5000 });
    await shot(t, "scrolled");
    await axe(t, "scrolled");
    await back.click();
    await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 5000 });
    assert((await activeClass(page)).includes("site-title"), "back-to-top did not move focus to the top");
  });

  // 2b. The results list opens under the search box, never over it (on a
  // phone the box sits on its own row below the title).
  await everyView("search results open below the search box", B.site, B.article, async (t) => {
    const { page } = t;
    const input = page.locator("#site-search-input");
    await input.click();
    await input.type("alliance");
    const list = page.locator("#site-search-listbox");
    await list.locator("[role=option]").first().waitFor({ state: "visible", timeout: 10000 });
    const [box, shown] = await Promise.all([input, list].map((l) => l.evaluate((e) => e.getBoundingClientRect().toJSON())));
    assert(shown.top >= box.bottom, `results (top ${shown.top}) cover the search box (bottom ${box.bottom})`);
    const onTop = await input.evaluate((i) => {
      const r = i.getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === i;
    });
    assert(onTop, "the search box is hidden while its results are open");
    await shot(t, "search-open");
  });

  // 3. Favicon: the theme's own, and /favicon.ico for agents that ask by name.
  await everyView("favicon is declared and served; /favicon.ico is no 404", B.site, B.article, async (t) => {
    const href = await t.page.getAttribute("link[rel=icon]", "href");
    assert(href, "no <link rel=icon>");
    const statuses = await t.page.evaluate(async (h) =>
      Promise.all([h, "/favicon.ico"].map((u) => fetch(u).then((r) => [r.status, r.headers.get("content-type")]))), href);
    assert(statuses[0][0] === 200 && /image/.test(statuses[0][1]), `icon ${href}: ${statuses[0]}`);
    assert(statuses[1][0] === 200, `/favicon.ico: ${statuses[1]}`);
  });

  // 6 and 7. Previews on touch as a bottom sheet; glossary terms linked once with a preview.
  await everyView("glossary term links once and previews (hover on desktop, sheet on touch)", B.site, B.article, async (t) => {
    const { page } = t;
    const terms = await page.$$eval(".content a.glossary-term", (as) => as.map((a) => a.getAttribute("href")));
    assert(terms.length > 0, "no glossary term linked");
    assert(new Set(terms).size === terms.length, `a glossary term is linked twice: ${terms}`);
    const term = page.locator(`.content a.glossary-term[href="${B.glossary_term}"]`);
    assert((await term.count()) === 1, `${B.glossary_term} not linked exactly once`);
    const word = (await term.textContent()).toLowerCase();
    const uses = await page.locator(".content").evaluate((c, w) => c.textContent.toLowerCase().split(w).length - 1, word);
    assert(uses > 1, `"${word}" is used only once, so first-use-only is not shown`);
    if (t.width >= 900) {
      assert((await page.locator(".preview-button").count()) === 0, "preview buttons shown with a mouse");
      await term.scrollIntoViewIfNeeded();
      await term.hover();
      const box = page.locator(".preview");
      await box.waitFor({ state: "visible", timeout: 10000 });
      assert((await box.locator(".preview-title").textContent()).toLowerCase().includes(word.replace(/s$/, "")), "preview of another page");
      await shot(t, "glossary-tooltip");
      await axe(t, "tooltip shown");
      await page.keyboard.press("Escape");
      await box.waitFor({ state: "detached", timeout: 5000 });
      return;
    }
    assert((await page.getAttribute("#site-search-input", "placeholder")) === "Search", "phone search box still says to press /");
    const button = term.locator("xpath=following-sibling::*[1][contains(@class,'preview-button')]");
    assert((await button.count()) === 1, "no preview button after the glossary term");
    const size = await button.evaluate((b) => { const r = b.getBoundingClientRect(); return [r.width, r.height]; });
    assert(size[0] >= 24 && size[1] >= 24, `preview button under 24px: ${size}`);
    await button.scrollIntoViewIfNeeded();
    await button.tap();
    const sheet = page.locator(".preview-sheet");
    await sheet.waitFor({ state: "visible", timeout: 10000 });
    const r = await sheet.boundingBox();
    assert(Math.abs(r.y + r.height - 740) <= 1 && r.width === t.width, `not a bottom sheet: ${JSON.stringify(r)}`);
    assert((await sheet.locator(".preview-title a").getAttribute("href")) === B.glossary_term, "sheet title does not link to the entry");
    assert(await focusedIn(page, ".preview-sheet"), "focus did not move into the sheet");
    await shot(t, "preview-sheet");
    await axe(t, "sheet open");
    await page.touchscreen.tap(t.width / 2, 40);
    await sheet.waitFor({ state: "detached", timeout: 5000 });
    assert((await activeClass(page)).includes("preview-button"), "focus did not return to the preview button");
    // Any internal link in the text has one (citations will too).
    const others = await page.$$eval(".content a[href^='/']:not(.glossary-term) + .preview-button", (bs) => bs.length);
    assert(others > 0, "plain internal links have no preview button");
  });

  // 8. Offline reading: with the server gone, a page read and its search still work.
  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      await check(`offline: a page read rereads and searches with the server gone at ${width}px ${scheme}`, async () => {
        const dir = config.sites.find((s) => s.name === B.site).dir;
        const changed = new Map();
        const server = await serve(dir, changed);
        const origin = `http://127.0.0.1:${server.address().port}`;
        const t = await open(B.site, B.article, { width, scheme, origin });
        let stopped = false;
        try {
          const { page } = t;
          await page.evaluate(() => navigator.serviceWorker.ready);
          await page.reload({ waitUntil: "load" });
          assert(await page.evaluate(() => !!navigator.serviceWorker.controller), "service worker does not control the page");
          const title = await page.locator("h1").textContent();
          const online = await page.evaluate(async () => (await (await import("/search/search.js")).search("rupture")).map((r) => r.url));
          assert(online.length > 0, "no search results online");
          // Network first: an edit made since the page was kept is what the reader gets online.
          const edited = readFileSync(join(dir, B.article, "index.html"), "utf8").replace(/<h1>[^<]*<\/h1>/, "<h1>Edited since</h1>");
          changed.set(B.article, edited);
          await page.reload({ waitUntil: "load" });
          assert((await page.locator("h1").textContent()) === "Edited since", "the worker served a stale page while online");
          await stop(server);
          stopped = true;
          await page.reload({ waitUntil: "load" });
          assert((await page.locator("h1").textContent()) === "Edited since", `page not reread offline (${title})`);
          assert(await page.evaluate(() => getComputedStyle(document.body).fontFamily.length > 0 && !!document.querySelector("link[rel=stylesheet]").sheet), "stylesheet missing offline");
          const offline = await page.evaluate(async () => (await (await import("/search/search.js")).search("rupture")).map((r) => r.url));
          assert(JSON.stringify(offline) === JSON.stringify(online), `offline search differs: ${offline} vs ${online}`);
          await shot(t, "offline");
          t.bad = t.bad.filter((b) => !b.startsWith("0 ")); // nothing failed but the server
        } finally {
          await t.context.close();
          if (!stopped) await stop(server);
        }
        const foreign = t.requests.filter((u) => !u.startsWith(origin + "/"));
        assert(foreign.length === 0, `requests outside the site: ${foreign}`);
      });
    }
  }

  // 9. Print view of a section: its pages in order, each with its references.
  await everyView("print view lays out the section's pages in order with references", B.site, B.section, async (t) => {
    const { page } = t;
    const listed = await page.$$eval(".page-list-title a", (as) => as.map((a) => a.textContent.trim()));
    const link = page.locator("a.print-link");
    assert(await link.isVisible(), "no print link on the section page");
    await link.click();
    await page.waitForSelector("[data-print-ready]", { timeout: 20000 });
    const printed = await page.$$eval(".print-page .print-page-title", (hs) => hs.map((h) => h.textContent.trim()));
    assert(JSON.stringify(printed) === JSON.stringify(listed), `printed ${printed} but the section lists ${listed}`);
    assert((await page.locator(".print-page .references li").count()) > 0, "no references printed");
    const ids = await page.$$eval("[id]", (ns) => ns.map((n) => n.id));
    assert(new Set(ids).size === ids.length, "ids repeat in the print view");
    assert((await page.locator("h1").count()) === 1, "more than one h1");
    await axe(t, "print view");
    await page.emulateMedia({ media: "print" });
    assert(!(await page.locator(".site-nav").isVisible()) && !(await page.locator(".print-button").isVisible()), "controls printed");
    assert(await page.locator(".print-page .references").first().isVisible(), "references hidden in print");
    if (t.width >= 900 && t.scheme === "light") await page.pdf({ path: join(config.screenshots, "theme-print-section.pdf"), format: "A4" });
  });

  // 10. Wide tables scroll sideways with a cue; the 404 page searches and suggests.
  await everyView("wide tables scroll sideways with a visible cue", F.site, F.article, async (t) => {
    const wide = await t.page.$$eval(".content table", (ts) => ts.map((x) => [x.scrollWidth > x.clientWidth + 1, x.tabIndex,
      !!(x.previousElementSibling && x.previousElementSibling.classList.contains("table-hint") && x.previousElementSibling.offsetHeight > 0)]));
    assert(wide.length > 0, "fixture has no table");
    for (const [scrolls, tab, hint] of wide) {
      assert(!scrolls || (tab === 0 && hint), `a wide table has no cue (tabindex ${tab}, hint ${hint})`);
    }
    if (t.width < 600) {
      assert(wide.some(([s]) => s), "no table is wider than a phone: the fixture needs a wide one");
      const narrowest = await t.page.$$eval(".content table.is-wide td", (cs) => Math.min(...cs.map((c) => c.getBoundingClientRect().width)));
      assert(narrowest >= 140, `a column of a wide table is squeezed to ${narrowest}px`);
      const table = t.page.locator(".content table").first();
      await table.scrollIntoViewIfNeeded();
      await shot(t, "wide-table");
    }
  });

  await everyView("404 has the search box and suggests the page the address resembles", B.site, B.missing, async (t) => {
    const { page } = t;
    assert(t.status === 404, `status ${t.status}`);
    assert(await page.locator(".not-found-search input[type=search]").isVisible(), "no search box on the 404 page");
    const first = page.locator(".similar-pages li a").first();
    await first.waitFor({ state: "visible", timeout: 10000 });
    assert((await first.getAttribute("href")) === B.missing_suggests, `first suggestion is ${await first.getAttribute("href")}`);
    assert(!(await first.textContent()).startsWith("/"), "suggestion shows a path, not a title");
    await shot(t, "404-suggests", true);
    await axe(t, "with suggestions");
  });
} finally {
  await browser.close();
  await Promise.all(servers.map(stop));
}

writeFileSync(join(config.screenshots, "theme-report.json"), JSON.stringify(report, null, 2));
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
process.exit(report.failures.length ? 1 : 0);
