// Shared by the page drivers: starts Debian's Chromium through playwright-core and reports
// to the Java test as one JSON object per line on standard output.
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

// Exit code the Java side reads as "not installed": it fails with a hint to run .ci/install.
const NOT_INSTALLED = 3;

// Without the background-networking flags Chromium's own outbound attempts (updates, sync,
// metrics) are refused here many at a time and slow every start.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** One line of the report. */
export function emit(record) {
  process.stdout.write(JSON.stringify(record) + '\n');
}

/** A fresh headless Chromium; playwright gives each launch a new temporary profile directory. */
export async function launch() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    console.error('playwright-core is not installed: ' + e.message);
    process.exit(NOT_INSTALLED);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(CHROMIUM + ' is missing');
    process.exit(NOT_INSTALLED);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
}

/** A header's value from a DevTools header object, whose names keep the sender's case. */
const headerOf = (headers, name) => Object.entries(headers ?? {})
  .find(([key]) => key.toLowerCase() === name)?.[1] ?? null;

/**
 * A page whose script errors and console errors are kept, to be reported at the end, and whose
 * WebSocket handshakes are recorded from DevTools (page.webSockets: what the browser offered in
 * Sec-WebSocket-Extensions and what the server answered), since pages cannot read headers.
 */
export async function openPage(browser, url, viewport) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.webSockets = [];
  const offers = new Map();
  const devtools = await context.newCDPSession(page);
  await devtools.send('Network.enable');
  devtools.on('Network.webSocketWillSendHandshakeRequest', e => {
    offers.set(e.requestId, headerOf(e.request.headers, 'sec-websocket-extensions'));
  });
  devtools.on('Network.webSocketHandshakeResponseReceived', e => page.webSockets.push({
    status: e.response.status,
    offered: offers.get(e.requestId) ?? null,
    extensions: headerOf(e.response.headers, 'sec-websocket-extensions'),
  }));
  page.problems = [];
  page.on('pageerror', e => page.problems.push('pageerror: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') page.problems.push('console: ' + m.text()); });
  await page.goto(url);
  return page;
}

/** Runs body with a browser, closing it whatever happens; any failure exits 1. */
export async function withBrowser(body) {
  const browser = await launch();
  try {
    await body(browser);
  } catch (e) {
    console.error(e.stack || String(e));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
