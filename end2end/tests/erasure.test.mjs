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

describe('retention', () => {
  test('a privacy officer sets the call log period, sees what is due, runs it, and the phone drops it', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/calls');
    await waitForSynced(page);
    const marker = 'Eski görüşme R7';
    const made = await page.evaluate(async (notes) => {
      const response = await fetch('/api/v1/calls', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fields: {
          direction: 'incoming', number: '0532 444 55 66', started: '2019-05-02T10:00',
          outcome: 'reached', notes,
        } }),
      });
      return { status: response.status, body: await response.json() };
    }, marker);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const call = made.body.id;
    await page.goto(`${server.url}/calls/${call}`);
    await page.locator('article.detail[data-kind="call"]').waitFor({ timeout: 30_000 });
    await waitForSynced(page);
    assert.ok(await storedMarkers(page, [marker]) > 0, 'the phone holds the call');

    await page.goto(`${server.url}/settings/privacy`);
    await page.locator('#privacy-retention h2', { hasText: 'Saklama süreleri' }).waitFor();
    await page.locator('#retention-schedule', { hasText: 'Bütün kurallar kapalı' }).waitFor();
    assert.ok(await page.locator('#retention-call_logs-months').isDisabled(), 'off: no period to type');
    await page.locator('#retention-call_logs-on').check();
    await page.locator('#retention-call_logs-months').fill('36');
    await page.locator('#retention-interval').fill('90');
    await page.locator('#retention-save').click();
    await page.locator('#retention-saved', { hasText: 'Politika kaydedildi.' }).waitFor();
    await page.locator('#retention-schedule', { hasText: 'Sıradaki çalışma' }).waitFor();

    // The preview lists the old call; running erases it, here and on the server.
    await page.locator('#retention-preview').click();
    await page.locator(`#retention-due li[data-id="${call}"][data-rule="call_logs"]`, { hasText: 'Arama kayıtları' }).waitFor();
    assert.equal(await page.locator('#retention-due li').count(), 1, 'only the old call is due');
    const run = page.locator('#retention-run');
    assert.match(await run.textContent(), /1 kayıt kalıcı olarak silinsin/);
    await run.click();
    await page.locator('#retention-ran', { hasText: 'Çalıştı: 1 kayıt silindi' }).waitFor();
    await page.locator('#retention-runs li', { hasText: '1 silindi' }).waitFor();
    await page.locator('#retention-schedule', { hasText: 'Son çalışma' }).waitFor();
    const noOverflow = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(noOverflow, 'the page fits the phone');
    for (let tries = 0; tries < 60 && await storedMarkers(page, [marker]) > 0; tries += 1) {
      await page.waitForTimeout(500);
    }
    assert.equal(await storedMarkers(page, [marker]), 0, 'the phone no longer holds the call');
    const gone = await page.evaluate((id) => fetch(`/api/v1/calls/${id}`).then((r) => r.status), call);
    assert.equal(gone, 404);
    const log = await page.evaluate(() => fetch('/api/audit').then((r) => r.json()));
    assert.ok(log.some((e) => e.action === 'privacy.retention_ran' && e.detail === '1 records erased, 0 anonymised'));
    assert.ok(log.some((e) => e.action === 'privacy.retention_saved'
      && e.detail === 'idle_leads=off, former_customers=off, call_logs=36; every 90 days'));
    await context.close();
  });
});
