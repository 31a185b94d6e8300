// Reading the page the way a user sees it: clock, header, hosts, event log.

/** Waits until the app has drawn (a condition, never a fixed sleep). */
export async function ready(page) {
  await page.waitForSelector('[data-testid="clock"]', { timeout: 30_000 });
}

/** What a person would compare between two screens showing "the same moment". */
export async function moment(page) {
  return {
    clock: (await page.textContent('[data-testid="clock"]')).trim(),
    scenario: (await page.textContent('[data-testid="scenario"]')).trim(),
    hosts: await page.$$eval('[data-testid="host"]', (els) =>
      els.map((e) => `${e.dataset.hostId}:${e.dataset.status}:${e.querySelectorAll('[data-testid="task"]').length}`),
    ),
    log: await page.$$eval('[data-testid="event"] .sentence', (els) => els.map((e) => e.textContent)),
  };
}
