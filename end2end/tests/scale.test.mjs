// End-to-end: a fresh phone downloads its workspace through the change feed (one
// streamed download, a progress bar, a few IndexedDB transactions), and a phone back
// from offline takes in only what changed meanwhile.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { BENCH_OWNER, createAccount, launch, openApp, phone, startServer, waitForOfflineReady, waitForSynced } from './helpers.mjs';

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

/**
 * Tampers with the page's IndexedDB database as an old app version or a damaged disk
 * would: `old-version` marks the read model as written by an earlier version; `damage`
 * writes garbage over one row and deletes another.
 */
async function tamper(page, how) {
  await page.evaluate(async (how) => {
    const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n.startsWith('saha-'));
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['read_model', 'meta'], 'readwrite');
    if (how === 'old-version') {
      tx.objectStore('meta').put('0-earlier', 'read_model_version');
    } else {
      const store = tx.objectStore('read_model');
      const keys = store.getAllKeys();
      keys.onsuccess = () => {
        store.put('{"heads":[', keys.result[0]);
        store.delete(keys.result[1]);
      };
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, how);
}

/** Reloads and waits for the list; returns how the read model was opened. */
async function reopen(page) {
  await page.goto(new URL('/accounts', page.url()).href);
  await page.locator('.cards .card-title').first().waitFor({ timeout: 30_000 });
  return page.evaluate(() => ({ open: window.__saha_open_timings, documents: window.__saha_documents }));
}

describe('read model', () => {
  test('a phone opens offline from the read model, and a stale or damaged one is rebuilt with nothing lost', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/accounts', BENCH_OWNER);
    await waitForSynced(page);
    await waitForOfflineReady(page);
    const office = await phone(browser);
    const other = await openApp(office, server.url, '/accounts', BENCH_OWNER);
    await waitForSynced(other);

    // An edit on another device reaches the list row and the search without a reload.
    const first = page.locator('.cards .card-title').first();
    const oldName = (await first.textContent()).trim();
    await other.locator('#account-search').fill(oldName);
    await other.locator('.cards a', { hasText: oldName }).first().click();
    await other.locator('#edit-record').click();
    await other.locator('#account-name').fill('Yeniden Adlanmış Gıda A.Ş.');
    await other.getByRole('button', { name: /Kaydet|Save/ }).click();
    await other.locator('article.detail h1', { hasText: 'Yeniden Adlanmış' }).waitFor();
    await page.locator('#account-search').fill('yeniden adlanmis');
    await page.locator('.cards .card-title', { hasText: 'Yeniden Adlanmış Gıda A.Ş.' }).waitFor({ timeout: 15_000 });
    await page.locator('#account-search').fill('');
    await office.close();

    // Offline, a reload shows the list from the read model: no document is loaded.
    await page.waitForTimeout(500);
    await context.setOffline(true);
    const offline = await reopen(page);
    assert.equal(offline.open.rebuilt, null, `the stored read model was used: ${JSON.stringify(offline)}`);
    assert.ok(offline.open.documents >= SEEDED + 1, `every record is in it: ${JSON.stringify(offline)}`);
    assert.equal(offline.documents.loaded, 0, `no Automerge document was loaded to show the list: ${JSON.stringify(offline)}`);
    await page.locator('#account-search').fill('yeniden adlanmis');
    await page.locator('.cards .card-title', { hasText: 'Yeniden Adlanmış Gıda A.Ş.' }).waitFor();
    // Opening a record reads the read model too; editing it loads its document.
    await page.locator('.cards a', { hasText: 'Yeniden Adlanmış' }).first().click();
    await page.locator('article.detail h1', { hasText: 'Yeniden Adlanmış' }).waitFor();
    assert.equal(await page.evaluate(() => window.__saha_documents.loaded), 0);
    await page.locator('#edit-record').click();
    await page.locator('#account-city').fill('Isparta');
    await page.getByRole('button', { name: /Kaydet|Save/ }).click();
    await page.locator('article.detail', { hasText: 'Isparta' }).waitFor();
    assert.equal(await page.evaluate(() => window.__saha_documents.loaded), 1, 'only the edited document was loaded');

    // A read model written by an earlier version of the app is rebuilt at start-up.
    await tamper(page, 'old-version');
    const upgraded = await reopen(page);
    assert.match(upgraded.open.rebuilt ?? '', /version/, JSON.stringify(upgraded));
    assert.equal(upgraded.open.documents, offline.open.documents, 'every document was projected again');
    assert.equal(upgraded.documents.loaded, 0, 'the rebuild dropped the documents it loaded');
    assert.equal((await reopen(page)).open.rebuilt, null, 'and the rebuilt one is used from then on');

    // A damaged row, and a missing one, are found and rebuilt with no data lost.
    await tamper(page, 'damage');
    const repaired = await reopen(page);
    assert.match(repaired.open.rebuilt ?? '', /decode|without a read-model entry/, JSON.stringify(repaired));
    assert.equal(repaired.open.documents, offline.open.documents, 'no record was lost');
    await page.locator('#account-search').fill('yeniden adlanmis');
    await page.locator('.cards .card-title', { hasText: 'Yeniden Adlanmış Gıda A.Ş.' }).waitFor();
    await page.locator('.cards a', { hasText: 'Yeniden Adlanmış' }).first().click();
    await page.locator('article.detail', { hasText: 'Isparta' }).waitFor();

    // Back online, the offline edit reaches the server.
    await context.setOffline(false);
    await waitForSynced(page);
    await context.close();
  });
});
