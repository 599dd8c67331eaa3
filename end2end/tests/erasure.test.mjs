// End-to-end: erasing a person (KVKK) from a phone. Two phones hold the person; one
// goes offline and edits them; the other's admin sees what erasure will do, erases
// them, and the case about them stays without them. When the offline phone comes back,
// its edit brings nothing back: its copy is dropped, its IndexedDB no longer holds the
// person's name, address or number, and the other phone never sees them again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, phone, setUp, startServer, waitForOfflineReady, waitForSynced } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  await setUp(server.url);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** How many values in the page's IndexedDB databases hold any of `markers`. */
async function storedMarkers(page, markers) {
  return page.evaluate(async (markers) => {
    const open = (name) => new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store) => new Promise((resolve, reject) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const text = (value) => {
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
        return new TextDecoder('utf-8', { fatal: false }).decode(value);
      }
      return typeof value === 'string' ? value : JSON.stringify(value);
    };
    let found = 0;
    for (const { name } of await indexedDB.databases()) {
      const db = await open(name);
      for (const storeName of db.objectStoreNames) {
        const values = await all(db.transaction(storeName).objectStore(storeName));
        for (const value of values) {
          const t = text(value);
          if (markers.some((m) => t.includes(m))) found += 1;
        }
      }
      db.close();
    }
    return found;
  }, markers);
}

describe('erasure', () => {
  test('an erased person leaves both phones, and an offline edit brings nothing back', async () => {
    const markers = ['Silinecek Z9', 'erdem.z9@example.com', '5327778899'];
    const contextA = await phone(browser);
    const a = await openApp(contextA, server.url, '/contacts/new');
    await waitForSynced(a);
    await a.locator('#contact-name').fill('Erdem Silinecek Z9');
    await a.locator('#contact-email').fill('erdem.z9@example.com');
    await a.locator('#contact-mobile').fill('0532 777 88 99');
    await a.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await a.locator('article.detail[data-kind="contact"] h1', { hasText: 'Erdem Silinecek Z9' }).waitFor();
    const person = new URL(a.url()).pathname.split('/').pop();
    await a.goto(`${server.url}/cases/new`);
    await a.locator('#case-subject').fill('İade: Erdem Silinecek Z9');
    await a.locator('#case-contact').fill('erdem');
    await a.locator('.picker-option', { hasText: 'Erdem Silinecek Z9' }).click();
    await a.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await a.locator('article.detail[data-kind="case"] h1', { hasText: 'İade: Erdem Silinecek Z9' }).waitFor();
    const oldCase = new URL(a.url()).pathname.split('/').pop();
    await waitForSynced(a);

    // The second phone holds the person, then edits them offline.
    const contextB = await phone(browser);
    const b = await openApp(contextB, server.url, `/contacts/${person}`);
    await b.locator('article.detail h1', { hasText: 'Erdem Silinecek Z9' }).waitFor();
    await waitForSynced(b);
    assert.ok(await storedMarkers(b, markers) > 0, 'the second phone holds the person');
    await waitForOfflineReady(b);
    await contextB.setOffline(true);
    await b.locator('output.sync[data-sync="offline"]').waitFor();
    await b.getByRole('link', { name: 'Düzenle' }).click();
    await b.locator('#contact-title').fill('Satın alma Z9 müdürü');
    await b.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await b.locator('[data-field="title"]', { hasText: 'Satın alma Z9 müdürü' }).waitFor();

    // The admin sees what erasure does, then erases.
    await a.goto(`${server.url}/privacy/${person}`);
    await a.locator('#privacy-access h1', { hasText: 'Erdem Silinecek Z9' }).waitFor();
    await a.locator('#privacy-erase-preview').click();
    await a.locator(`#privacy-erase-plan li[data-id="${person}"] .treatment`, { hasText: 'Silinir' }).waitFor();
    await a.locator(`#privacy-erase-plan li[data-id="${oldCase}"] .treatment`, { hasText: 'Kişi olmadan saklanır' }).waitFor();
    assert.equal(await a.locator(`#privacy-erase-plan li[data-id="${person}"] input[type="checkbox"]`).count(), 0,
      'their own record cannot be kept');
    const confirm = a.locator('#privacy-erase-confirm');
    assert.match(await confirm.textContent(), /Erdem Silinecek Z9 kalıcı olarak silinsin/);
    await confirm.click();
    await a.locator('#privacy-erase-done', { hasText: /1 kayıt yok edildi, 1 kayıt kişi olmadan saklandı, 2 adres ve numara engellendi/ }).waitFor();
    const noOverflow = await a.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(noOverflow, 'the page fits the phone');

    // On this phone: gone at once; the case lives on without them.
    await a.goto(`${server.url}/contacts`);
    await a.locator('header.topbar').waitFor();
    await waitForSynced(a);
    assert.equal(await a.locator('.card', { hasText: 'Silinecek Z9' }).count(), 0);
    await a.goto(`${server.url}/cases`);
    await a.locator('.card', { hasText: 'İade: ***' }).waitFor();
    assert.equal(await a.locator('.card', { hasText: 'Silinecek Z9' }).count(), 0);
    assert.equal(await storedMarkers(a, markers), 0, 'nothing of them is left on this phone');

    // The offline phone comes back: its edit is refused, its copy dropped.
    await contextB.setOffline(false);
    await b.goto(`${server.url}/contacts`);
    await b.locator('header.topbar').waitFor();
    await b.waitForFunction(async () => {
      const badge = document.querySelector('output.sync');
      return badge?.dataset.sync === 'synced' || badge?.dataset.sync === 'attention';
    }, null, { timeout: 30_000 });
    await b.waitForFunction(
      () => ![...document.querySelectorAll('.card')].some((c) => c.textContent.includes('Silinecek Z9')),
      null, { timeout: 30_000 });
    await b.goto(`${server.url}/cases`);
    await b.locator('.card', { hasText: 'İade: ***' }).waitFor({ timeout: 30_000 });
    // The purge is written after the lists change: poll the same scan until it is.
    for (let tries = 0; tries < 60 && await storedMarkers(b, markers) > 0; tries += 1) {
      await b.waitForTimeout(500);
    }
    assert.equal(await storedMarkers(b, markers), 0, 'nothing of them is left on the second phone');

    // Nothing came back on the first phone either.
    await a.reload();
    await a.locator('header.topbar').waitFor();
    await waitForSynced(a);
    await a.goto(`${server.url}/contacts`);
    await a.locator('header.topbar').waitFor();
    assert.equal(await a.locator('.card', { hasText: 'Z9' }).count(), 0);
    const log = await a.evaluate(() => fetch('/api/audit').then((r) => r.json()));
    const erased = log.filter((e) => e.action === 'privacy.erased');
    assert.equal(erased.length, 1);
    assert.equal(erased[0].detail, '1 records erased, 1 anonymised, 2 addresses suppressed');
    assert.ok(!JSON.stringify(log).includes('Silinecek Z9'), 'the audit log does not name them');
    await contextA.close();
    await contextB.close();
  });
});
