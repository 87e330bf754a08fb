// Drives the chat page: node chat.mjs <page url> <screenshot.png> <conversation json>
// where the conversation is {"people": ["Ada", "Grace"], "lines": [["Ada", "hi"], ...]}.
// Each person gets a page of their own (a separate browser context, as two tabs of two people
// would be), joins, and speaks their lines in order; after every line all pages must show it.
// Reports one {"person", "status", "joinFormVisible", "lines", "problems", "webSockets"} record
// per page (webSockets: the handshakes DevTools saw, with the extensions offered and answered),
// read from the DOM, then {"screenshot", "width", "height"} for the first person's page.
import { emit, openPage, withBrowser } from './browser.mjs';

const [url, screenshot, conversationJson] = process.argv.slice(2);
if (!url || !screenshot || !conversationJson) {
  console.error('usage: node chat.mjs <page url> <screenshot.png> <conversation json>');
  process.exit(2);
}
const conversation = JSON.parse(conversationJson);

// Every line of the page's log as the reader sees it.
const readLog = () => [...document.querySelectorAll('#log li')].map(li => ({
  kind: li.className || 'said',
  name: li.querySelector('.name')?.textContent ?? null,
  text: li.lastElementChild?.textContent ?? '',
}));

const shows = ([name, text]) => [...document.querySelectorAll('#log li')].some(li =>
  li.querySelector('.name')?.textContent === name && li.lastElementChild.textContent === text);

await withBrowser(async browser => {
  const pages = new Map();
  for (const person of conversation.people) {
    const page = await openPage(browser, url, { width: 760, height: 500 });
    await page.locator('#join-button:enabled').waitFor();
    await page.fill('#name', person);
    await page.click('#join-button');
    // The welcome shows the say form: join one at a time so every log reads the same.
    await page.locator('#say').waitFor({ state: 'visible' });
    pages.set(person, page);
  }
  for (const [speaker, text] of conversation.lines) {
    const page = pages.get(speaker);
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
    for (const reader of pages.values()) {
      await reader.waitForFunction(shows, [speaker, text]);
    }
  }
  for (const [person, page] of pages) {
    emit({
      person,
      status: await page.textContent('#status'),
      joinFormVisible: await page.isVisible('#join'),
      lines: await page.evaluate(readLog),
      problems: page.problems,
      webSockets: page.webSockets,
    });
  }
  const first = pages.get(conversation.people[0]);
  await first.screenshot({ path: screenshot });
  emit({ screenshot, ...first.viewportSize() });
});
