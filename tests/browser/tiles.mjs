// Review helper (not a test): screenshots of a page in tiles, for reading by eye.
// node tiles.mjs <url> <width> <light|dark> <out-prefix> [tile-height] [max-tiles]
import { chromium } from "playwright-core";
const [url, width, scheme, out, th = "1100", max = "8"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const w = Number(width), mobile = w < 600;
const ctx = await browser.newContext({ viewport: { width: w, height: Number(th) }, colorScheme: scheme, isMobile: mobile, hasTouch: mobile });
const page = await ctx.newPage();
await page.goto(url, { waitUntil: "load" });
const h = await page.evaluate(() => document.documentElement.scrollHeight);
for (let i = 0, y = 0; y < h && i < Number(max); i++, y += Number(th)) {
  await page.screenshot({ path: `${out}-${i}.png`, fullPage: true, clip: { x: 0, y, width: w, height: Math.min(Number(th), h - y) } });
}
console.log(h);
await browser.close();
