// End-to-end: a fresh phone downloads its workspace through the change feed (one
// streamed download, a progress bar, a few IndexedDB transactions), and a phone back
// from offline takes in only what changed meanwhile.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { BENCH_OWNER, createAccount, launch, openApp, phone, startServer, waitForSynced } from './helpers.mjs';

const root = resolve(import.meta.dirname, '../..');
const benchBin = process.env.SAHA_BENCH_BIN ?? join(root, 'target/debug/saha-bench');
const SEEDED = 1200;

let server;
let browser;

before(async () => {
  server = await startServer();
  const seeded = spawnSync(benchBin, ['seed-saha', '--http', server.url, '--count', String(SEEDED)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  assert.equal(seeded.status, 0, 'saha-bench seeded the workspace');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Records, from the first paint on, the largest download progress the badge showed. */
async function watchProgress(context) {
  await context.addInitScript(() => {
    window.__saha_progress = { shown: false, max: 0, total: 0 };
    new MutationObserver(() => {
      const bar = document.querySelector('output.sync progress.download');
      if (bar) {
        window.__saha_progress.shown = true;
        window.__saha_progress.max = Math.max(window.__saha_progress.max, Number(bar.value));
        window.__saha_progress.total = Number(bar.max);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

describe('change feed', () => {
  test('a fresh phone downloads the workspace in bulk with a progress bar, then catches up by cursor', async () => {
    const context = await phone(browser);
    await watchProgress(context);
    const page = await openApp(context, server.url, '/accounts', BENCH_OWNER);
    await waitForSynced(page);
    const feed = await page.evaluate(() => window.__saha_feed);
    assert.equal(feed.since, 0, 'a fresh device starts from the beginning');
    assert.ok(feed.documents >= SEEDED + 1, `the accounts and the index came in the feed: ${JSON.stringify(feed)}`);
    assert.ok(feed.transactions >= 2 && feed.transactions <= Math.ceil(feed.documents / 500) + 1,
      `a few large IndexedDB transactions: ${JSON.stringify(feed)}`);
    const progress = await page.evaluate(() => window.__saha_progress);
    assert.ok(progress.shown, 'the progress bar was shown');
    assert.equal(progress.total, feed.documents, 'it counted toward the whole download');
    assert.ok(progress.max >= 500, `it moved: ${JSON.stringify(progress)}`);

    // Offline for a while; meanwhile another office adds an account.
    await context.setOffline(true);
    await page.locator('output.sync[data-sync="offline"]').waitFor();
    const office = await phone(browser);
    const other = await openApp(office, server.url, '/accounts', BENCH_OWNER);
    await waitForSynced(other);
    await createAccount(other, { name: 'Sonradan Eklenen Ltd.' });
    await waitForSynced(other);
    await context.setOffline(false);
    await page.waitForFunction((before) => window.__saha_feed && window.__saha_feed.since === before,
      feed.cursor, { timeout: 15_000 });
    const again = await page.evaluate(() => window.__saha_feed);
    assert.ok(again.documents >= 1 && again.documents <= 3,
      `only what changed came back (the new account and the index): ${JSON.stringify(again)}`);
    assert.ok(again.cursor > feed.cursor);
    await page.locator('h1').first().click();
    await page.keyboard.press('Control+K');
    await page.locator('#global-search').fill('sonradan eklenen');
    await page.locator('#search-results .card-title', { hasText: 'Sonradan Eklenen Ltd.' }).waitFor();
    await office.close();
    await context.close();
  });
});
