// End-to-end: an access request (KVKK art. 11) answered from a phone. An admin opens a
// person's page, sees what refers to them, saves the data file and the readable
// report — offline too — and the audit log hears of each file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openApp, phone, setUp, startServer, waitForSynced } from './helpers.mjs';

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

describe('privacy', () => {
  test('what is held about a person: their record, the records about them, as JSON and a readable page', async () => {
    const context = await phone(browser);
    const page = await openApp(context, server.url, '/contacts/new');
    await waitForSynced(page);
    await page.locator('#contact-name').fill('Nermin İzci Q7');
    await page.locator('#contact-email').fill('nermin.q7@example.com');
    await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
    await page.locator('article.detail[data-kind="contact"] h1', { hasText: 'Nermin İzci Q7' }).waitFor();
    const person = new URL(page.url()).pathname.split('/').pop();
    // A complaint of hers, and someone else's that must stay out.
    for (const [subject, contact] of [['Kırık ambalaj Q7', 'nermin'], ['Başkasının derdi', null]]) {
      await page.goto(`${server.url}/cases/new`);
      await page.locator('#case-subject').fill(subject);
      if (contact) {
        await page.locator('#case-contact').fill(contact);
        await page.locator('.picker-option', { hasText: 'Nermin İzci Q7' }).click();
      }
      await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
      await page.locator('article.detail[data-kind="case"] h1', { hasText: subject }).waitFor();
    }
    await waitForSynced(page);

    await page.goto(`${server.url}/contacts/${person}`);
    await page.locator('#privacy-link').click();
    await page.locator('#privacy-access h1', { hasText: 'Nermin İzci Q7' }).waitFor();
    assert.match(await page.locator('#privacy-counts li[data-kind="case"]').textContent(), /: 1$/);
    await page.locator('#privacy-access li.card[data-kind="case"]', { hasText: 'Kırık ambalaj Q7' }).waitFor();
    assert.equal(await page.locator('#privacy-access li.card', { hasText: 'Başkasının derdi' }).count(), 0);

    // Saved offline: made on the device; the audit log hears of it when back online.
    await context.setOffline(true);
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#privacy-json').click()]);
    const [html] = await Promise.all([page.waitForEvent('download'), page.locator('#privacy-report').click()]);
    await context.setOffline(false);
    assert.match(json.suggestedFilename(), new RegExp(`^kvkk-${person}-\\d{4}-\\d\\d-\\d\\d\\.json$`));
    const data = JSON.parse(await readFile(await json.path(), 'utf8'));
    assert.equal(data.person, person);
    assert.equal(data.name, 'Nermin İzci Q7');
    assert.deepEqual(data.records.map((r) => [r.kind, r.own]), [['contact', true], ['case', false]]);
    assert.ok(JSON.stringify(data.records[0].data).includes('nermin.q7@example.com'));
    assert.ok(JSON.stringify(data).includes('Kırık ambalaj Q7'));
    assert.ok(!JSON.stringify(data).includes('Başkasının derdi'));
    const report = await readFile(await html.path(), 'utf8');
    assert.match(report, /<html lang="tr">/);
    assert.match(report, /<h1>Tutulan kişisel veriler: Nermin İzci Q7<\/h1>/);
    assert.match(report, /<th>E-posta<\/th><td>nermin\.q7@example\.com<\/td>/);
    assert.match(report, /Kırık ambalaj Q7/);

    await waitForSynced(page);
    await page.waitForFunction(async (id) => {
      const log = await fetch('/api/audit').then((r) => r.json());
      return ['json', 'html'].every((format) => log.some((e) => e.action === 'privacy.disclosed' && e.target === id && e.detail.startsWith(`2 records as ${format}`)));
    }, person, { timeout: 30_000 });
    await context.close();
  });
});
