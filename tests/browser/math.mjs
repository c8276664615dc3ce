// Math and diagrams in headless Chromium, run by tests/it/math_browser.rs:
// `node math.mjs <config.json>`.
//
// The page is opened with JavaScript off (MathML and SVG need no script) at
// each width and colour scheme: a full-page screenshot, axe-core (zero
// violations), every request on the site, no sideways scroll, each <math>
// laid out with a real size, and each diagram an <svg role="img"> with a
// <title> whose text colour follows the scheme.
//
// Prints one JSON report on stdout; exits 1 when anything failed.

import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
mkdirSync(config.screenshots, { recursive: true });

const report = { pages: [], failures: [] };
const fail = (what) => report.failures.push(what);

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const server = await serve(config.dir);
const origin = `http://127.0.0.1:${server.address().port}`;

try {
  for (const width of [375, 1280]) {
    for (const scheme of ["light", "dark"]) {
      const label = `${config.path} ${width}px ${scheme}`;
      const mobile = width < 600;
      const context = await browser.newContext({
        viewport: { width, height: mobile ? 740 : 900 }, colorScheme: scheme, isMobile: mobile, hasTouch: mobile,
        deviceScaleFactor: 1, javaScriptEnabled: false, reducedMotion: "reduce",
      });
      const requests = [];
      context.on("request", (r) => requests.push(r.url()));
      const page = await context.newPage();
      try {
        const response = await page.goto(origin + config.path, { waitUntil: "load" });
        const shot = join(config.screenshots, `math-${width}-${scheme}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        const facts = await page.evaluate(() => {
          const box = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
          const maths = [...document.querySelectorAll("main math")].map((m) => ({ display: m.getAttribute("display"), size: box(m) }));
          const svgs = [...document.querySelectorAll("main svg[role=img]")].map((s) => ({
            title: s.querySelector(":scope > title")?.textContent || "", size: box(s),
            text: getComputedStyle(s.querySelector("text, .nodeLabel, span") || s).color,
          }));
          return { maths, svgs, bg: getComputedStyle(document.body).backgroundColor,
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
        });
        // axe needs a script of its own; the page's scripts stay off.
        await context.close();
        const axeContext = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const axePage = await axeContext.newPage();
        await axePage.goto(origin + config.path, { waitUntil: "load" });
        await axePage.addScriptTag({ content: axeSource });
        const axe = await axePage.evaluate(async (tags) => {
          const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
          return r.violations.map((v) => `${v.id} (${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")})`);
        }, AXE_TAGS);
        await axeContext.close();
        const foreign = requests.filter((u) => !u.startsWith(origin + "/") && !u.startsWith("data:"));
        report.pages.push({ page: label, screenshot: shot, ...facts, axe, foreign });
        if (!response || response.status() !== 200) fail(`${label}: HTTP ${response && response.status()}`);
        if (facts.maths.length < config.maths) fail(`${label}: ${facts.maths.length} math elements, expected ${config.maths}`);
        for (const m of facts.maths) if (m.size[0] < 8 || m.size[1] < 8) fail(`${label}: a <math> is not laid out: ${m.size}`);
        if (facts.svgs.length < config.diagrams) fail(`${label}: ${facts.svgs.length} diagrams, expected ${config.diagrams}`);
        for (const s of facts.svgs) {
          if (!s.title) fail(`${label}: a diagram has no <title>`);
          if (s.size[0] < 50 || s.size[1] < 50) fail(`${label}: a diagram is not laid out: ${s.size}`);
        }
        if (axe.length) fail(`${label}: axe violations: ${axe.join("; ")}`);
        if (foreign.length) fail(`${label}: requests outside the site: ${foreign.join(", ")}`);
        if (facts.overflow > 0) fail(`${label}: page scrolls sideways by ${facts.overflow}px`);
      } finally {
        await context.close().catch(() => {});
      }
    }
  }
  const [light, dark] = [report.pages.find((p) => p.page.endsWith("1280px light")), report.pages.find((p) => p.page.endsWith("1280px dark"))];
  if (light && dark && light.svgs[0] && dark.svgs[0] && light.svgs[0].text === dark.svgs[0].text) {
    fail(`diagram text colour is ${light.svgs[0].text} in both schemes`);
  }
} finally {
  server.close();
  await browser.close();
}

console.log(JSON.stringify(report, null, 2));
process.exit(report.failures.length ? 1 : 0);
