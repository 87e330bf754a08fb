// Drives the live-stats page: node stats.mjs <page url> <screenshot.png> <watch millis>
// Waits for the first scoreboard, then samples the page every 100 ms for <watch millis> and
// reports {"samples": [{"at", "version", "rows", "feed"}...]}, then {"page", "problems"} with
// what a viewer reads at the end (round, status, board cells, feed lines) and the page's script
// errors, and {"screenshot", "width", "height"}.
import { emit, openPage, withBrowser } from './browser.mjs';

const [url, screenshot, watchArg] = process.argv.slice(2);
const watchMillis = Number(watchArg);
if (!url || !screenshot || !(watchMillis > 0)) {
  console.error('usage: node stats.mjs <page url> <screenshot.png> <watch millis>');
  process.exit(2);
}

const sample = () => ({
  version: Number(document.body.dataset.version ?? -1),
  rows: document.querySelectorAll('#board tr').length,
  feed: document.querySelectorAll('#feed li').length,
});

const read = () => ({
  round: document.getElementById('round').textContent,
  status: document.getElementById('status').textContent,
  board: [...document.querySelectorAll('#board tr')].map(tr =>
    [...tr.children].map(td => td.textContent)),
  feed: [...document.querySelectorAll('#feed li')].map(li => li.textContent),
});

await withBrowser(async browser => {
  const page = await openPage(browser, url, { width: 960, height: 560 });
  await page.waitForFunction(() => document.body.dataset.version !== undefined);
  const start = Date.now();
  const samples = [];
  for (;;) {
    const at = Date.now() - start;
    samples.push({ at, ...await page.evaluate(sample) });
    if (at >= watchMillis) break;
    await page.waitForTimeout(Math.min(100, watchMillis - at));
  }
  emit({ samples });
  emit({ page: await page.evaluate(read), problems: page.problems });
  await page.screenshot({ path: screenshot });
  emit({ screenshot, ...page.viewportSize() });
});
