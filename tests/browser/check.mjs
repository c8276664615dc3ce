// Browser checks of the default theme in headless Chromium, run by
// tests/it/browser.rs: `node check.mjs <config.json>`.
//
// For every page listed in the config, at each width and colour scheme: a
// full-page screenshot, an axe-core run (zero violations expected), and a
// record of every request (all must stay on the site). Then behaviour checks:
// theme toggle, on-page contents tracking, link previews, copy button,
// no-JS reading, keyboard skip link and the print stylesheet.
//
// Prints one JSON report on stdout; exits 1 when anything failed.

import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
const WIDTHS = config.widths || [375, 1280];
const SCHEMES = ["light", "dark"];
mkdirSync(config.screenshots, { recursive: true });

const report = { pages: [], checks: [], failures: [] };
const fail = (what) => report.failures.push(what);

async function check(name, fn) {
  try {
    await fn();
    report.checks.push({ name, ok: true });
  } catch (e) {
    report.checks.push({ name, ok: false, error: String(e && e.message || e) });
    fail(`${name}: ${e && e.message || e}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

const servers = [];
try {
  const origins = {};
  for (const site of config.sites) {
    const server = await serve(site.dir);
    servers.push(server);
    origins[site.name] = `http://127.0.0.1:${server.address().port}`;
  }

  async function open(site, path, opts = {}) {
    const width = opts.width || 1280;
    const mobile = width < 600;
    const context = await browser.newContext({
      viewport: { width, height: mobile ? 740 : 900 }, colorScheme: opts.scheme || "light",
      isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1, javaScriptEnabled: opts.js !== false,
      reducedMotion: "reduce",
    });
    const requests = [];
    context.on("request", (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const response = await page.goto(origins[site] + path, { waitUntil: "load" });
    return { context, page, requests, errors, status: response ? response.status() : 0 };
  }

  // Every page type at every width and scheme: screenshot, axe, requests.
  for (const site of config.sites) {
    for (const p of site.pages) {
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const label = `${site.name}/${p.name} ${width}px ${scheme}`;
          const { context, page, requests, errors, status } = await open(site.name, p.path, { width, scheme });
          try {
            await page.waitForTimeout(150);
            const shot = join(config.screenshots, `${site.name}-${p.name}-${width}-${scheme}.png`);
            await screenshot(page, { path: shot, fullPage: true });
            await page.addScriptTag({ content: axeSource });
            const axe = await page.evaluate(async (tags) => {
              const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
              return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })) }));
            }, AXE_TAGS);
            const origin = origins[site.name];
            const foreign = requests.filter((u) => !u.startsWith(origin + "/") && !u.startsWith("data:"));
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            report.pages.push({ page: label, status, screenshot: shot, violations: axe, foreign, requests: requests.length, overflow, errors });
            if (status !== (p.status || 200)) fail(`${label}: HTTP ${status}`);
            if (axe.length) fail(`${label}: ${axe.length} axe violation(s): ${axe.map((v) => `${v.id} (${v.nodes.map((n) => n.target).join(", ")})`).join("; ")}`);
            if (foreign.length) fail(`${label}: requests outside the site: ${foreign.join(", ")}`);
            if (overflow > 0) fail(`${label}: page scrolls sideways by ${overflow}px`);
            if (errors.length) fail(`${label}: script errors: ${errors.join("; ")}`);
          } finally {
            await context.close();
          }
        }
      }
    }
  }

  const article = config.article; // { site, path, link: a content link with a preview }
  const furniture = config.furniture; // { site, path } a page with code, footnotes, folded callouts

  await check("theme toggle switches, is remembered across pages, and applies before first paint", async () => {
    const { context, page } = await open(article.site, article.path, { scheme: "light" });
    try {
      const button = page.locator(".theme-toggle");
      assert(await button.isVisible(), "toggle not shown with JavaScript on");
      assert((await button.getAttribute("aria-pressed")) === "false", "toggle should start unpressed in light mode");
      const bgBefore = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await button.click();
      assert((await page.getAttribute("html", "data-theme")) === "dark", "data-theme not set to dark");
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const sum = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0);
      assert(bg !== bgBefore && sum(bg) < 150 && sum(bgBefore) > 600, `dark background not applied: ${bgBefore} -> ${bg}`);
      // On the next page load the stored choice must be on <html> before any stylesheet applies.
      await page.addInitScript(() => {
        document.addEventListener("readystatechange", () => {
          if (!window.__firstTheme) window.__firstTheme = document.documentElement.getAttribute("data-theme") || "none";
        });
        new MutationObserver((_, obs) => {
          if (document.querySelector("link[rel=stylesheet]")) {
            window.__themeAtCss = document.documentElement.getAttribute("data-theme") || "none";
            obs.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(origins[article.site] + "/", { waitUntil: "load" });
      assert((await page.evaluate(() => window.__themeAtCss)) === "dark", "theme was not applied before the stylesheet loaded (flash)");
      assert((await page.locator(".theme-toggle").getAttribute("aria-pressed")) === "true", "toggle not pressed after reload");
      // Back to light (the system setting): the stored choice is forgotten.
      await page.locator(".theme-toggle").click();
      assert((await page.evaluate(() => localStorage.getItem("rapport-theme"))) === null, "choosing the system scheme should forget the choice");
      await page.screenshot({ path: join(config.screenshots, "behaviour-toggle-light.png") });
    } finally { await context.close(); }
  });

  await check("on-page contents marks the section being read on wide screens", async () => {
    const { context, page } = await open(article.site, article.path, { width: 1280 });
    try {
      assert(await page.locator(".toc").isVisible(), "no contents shown");
      const ids = await page.$$eval(".content h2[id]", (hs) => hs.map((h) => h.id));
      assert(ids.length >= 3, "article needs at least 3 h2 for this check");
      const target = ids[2];
      await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: "start" }), target);
      await page.waitForFunction((id) => {
        const a = document.querySelector(".toc a[aria-current]");
        return a && a.getAttribute("href") === "#" + id;
      }, target, { timeout: 10000 });
      await page.screenshot({ path: join(config.screenshots, "behaviour-toc-tracking.png") });
    } finally { await context.close(); }
  });

  await check("hovering an internal link shows its preview, built from text", async () => {
    const { context, page, requests } = await open(article.site, article.path, { width: 1280 });
    try {
      const link = page.locator(`.content a[href="${article.link}"]`).first();
      await link.scrollIntoViewIfNeeded();
      await link.hover();
      const box = page.locator(".preview");
      await box.waitFor({ state: "visible", timeout: 10000 });
      const title = await box.locator(".preview-title").textContent();
      assert(title && title.length > 2, "preview has no title");
      assert((await box.locator(".preview-summary").count()) === 1, "preview has no summary");
      assert(requests.some((u) => u.includes("/previews/")), "no preview JSON was fetched");
      await page.screenshot({ path: join(config.screenshots, "behaviour-preview.png") });
      await page.keyboard.press("Escape");
      await box.waitFor({ state: "detached", timeout: 5000 });
    } finally { await context.close(); }
  });

  await check("code blocks get a working copy button; footnotes get a way back", async () => {
    const { context, page } = await open(furniture.site, furniture.path, { width: 1280 });
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: origins[furniture.site] });
      const button = page.locator(".copy-button").first();
      await button.click();
      await page.waitForFunction(() => document.querySelector(".copy-button").textContent === "Copied", null, { timeout: 5000 });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const expected = await page.evaluate(() => document.querySelector("pre.code code").textContent);
      assert(copied === expected, "clipboard does not hold the code");
      assert((await page.locator(".footnote-back").count()) > 0, "no footnote back-links");
      await page.screenshot({ path: join(config.screenshots, "behaviour-copy.png") });
    } finally { await context.close(); }
  });

  await check("without JavaScript: the article reads, the nav tree folds, no JS-only controls show", async () => {
    const { context, page } = await open(article.site, article.path, { width: 375, js: false });
    try {
      assert(!(await page.locator(".theme-toggle").isVisible()), "theme toggle visible without JavaScript");
      assert(await page.locator(".content p").first().isVisible(), "article text not visible");
      const closed = page.locator(".nav-tree details:not([open]) > summary").first();
      await closed.scrollIntoViewIfNeeded();
      await closed.click();
      assert((await page.locator(".nav-tree details[open]").count()) >= 2, "nav section did not open");
      await page.screenshot({ path: join(config.screenshots, "behaviour-nojs-375.png"), fullPage: true });
    } finally { await context.close(); }
  });

  await check("keyboard: first Tab shows the skip link, which moves focus to the main content", async () => {
    const { context, page } = await open(article.site, article.path, { width: 1280 });
    try {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.activeElement.className);
      assert(focused === "skip-link", `first Tab focused ${focused}`);
      const top = await page.evaluate(() => document.activeElement.getBoundingClientRect().top);
      assert(top >= 0, "skip link not on screen when focused");
      await page.keyboard.press("Enter");
      assert((await page.evaluate(() => document.activeElement.id)) === "main", "skip link did not move focus to main");
    } finally { await context.close(); }
  });

  await check("print: navigation hidden, references and link targets printed", async () => {
    const { context, page } = await open(article.site, article.path, { width: 1280 });
    try {
      await page.emulateMedia({ media: "print" });
      assert(!(await page.locator(".site-nav").isVisible()), "nav printed");
      assert(!(await page.locator(".toc").isVisible()), "contents printed");
      assert(await page.locator(".references").isVisible(), "references not printed");
      const after = await page.evaluate(() => getComputedStyle(document.querySelector(".content a[href^='/']"), "::after").content);
      assert(after.includes("/"), `link target not printed: ${after}`);
      await page.pdf({ path: join(config.screenshots, "print-article.pdf"), format: "A4" });
    } finally { await context.close(); }
  });
} finally {
  await browser.close();
  servers.forEach((s) => s.close());
}

writeFileSync(join(config.screenshots, "report.json"), JSON.stringify(report, null, 2));
process.stdout.write(JSON.stringify({ failures: report.failures, pages: report.pages.length, checks: report.checks }, null, 2) + "\n");
process.exit(report.failures.length ? 1 : 0);

// Chromium sometimes fails a full-page capture on a loaded machine
// ("Unable to capture screenshot"): that is the browser, not the page, so it
// is tried once more before the run fails.
async function screenshot(page, options) {
  try {
    await page.screenshot(options);
  } catch (e) {
    if (!String(e.message).includes("Unable to capture screenshot")) throw e;
    await page.waitForTimeout(500);
    await page.screenshot(options);
  }
}
