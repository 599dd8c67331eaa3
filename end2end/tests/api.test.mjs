// End-to-end: on a phone, the owner creates a REST API token and a webhook in
// Settings → API, sees the token's secret once, an outside system uses it to create an
// account that reaches the app live and is posted, signed, to the webhook's receiver;
// the token's last use and the delivery show; revoking the token stops it at once.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, phone, setUp, startServer, waitForSynced } from './helpers.mjs';

let server;
let browser;
let receiver;
const received = [];

before(async () => {
  // The receiver is on loopback: the operator allows private webhook targets.
  server = await startServer(['--webhook-allow-private']);
  await setUp(server.url);
  browser = await launch();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.close();
});

test('an admin creates a token on a phone, an outside system uses it, and revoking stops it', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/settings');
  await page.locator('#api-settings-link').click();
  await page.locator('#api-settings h1', { hasText: 'API' }).waitFor();
  await page.locator('p.empty', { hasText: 'Henüz anahtar yok' }).waitFor();

  // A write token for accounts only.
  await page.locator('#token-name').fill('Muhasebe entegrasyonu');
  await page.locator('#token-access').selectOption('write');
  await page.locator('#token-all-kinds').uncheck();
  await page.locator('input[name="token-kind"][value="accounts"]').check();
  await page.getByRole('button', { name: 'Anahtar oluştur' }).click();
  const secret = (await page.locator('#new-token-secret').textContent()).trim();
  assert.match(secret, /^saha_[0-9a-f]{64}$/);
  const card = page.locator('#api-tokens li.api-token', { hasText: 'Muhasebe entegrasyonu' });
  await card.waitFor();
  assert.equal((await card.locator('code').textContent()).trim(), 'accounts:write');
  assert.equal((await card.locator('.last-used').textContent()).trim(), 'hiç');

  // A webhook for every event, posting to the receiver.
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/saha`;
  await page.locator('#webhook-url').fill(hookUrl);
  await page.getByRole('button', { name: 'Web kancası ekle' }).click();
  const hook = page.locator('#webhook-list li.webhook', { hasText: hookUrl });
  await hook.waitFor();
  await hook.locator('details.secret summary').click();
  const signingSecret = (await hook.locator('code.webhook-secret').textContent()).trim();
  assert.match(signingSecret, /^whsec_/);

  // The reference is one tap away and lists the endpoints.
  const docs = await context.request.get(`${server.url}/api/v1/docs`);
  assert.ok((await docs.text()).includes('/api/v1/accounts'));

  // An outside system (no cookie, only the token) creates an account; the phone's app
  // shows it without a reload.
  await page.goto(`${server.url}/accounts`);
  await waitForSynced(page);
  const created = await fetch(`${server.url}/api/v1/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { name: 'Entegrasyon Ticaret', city: 'Konya' } }),
  });
  const createdText = await created.text();
  assert.equal(created.status, 201, createdText);
  const accountId = JSON.parse(createdText).id;
  await page.locator('.cards .card-title', { hasText: 'Entegrasyon Ticaret' }).waitFor({ timeout: 15_000 });
  // The receiver gets the event, signed over timestamp and body.
  for (let i = 0; i < 100 && !received.some((r) => r.headers['saha-event'] === 'account.created'); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const delivery = received.find((r) => r.headers['saha-event'] === 'account.created');
  assert.ok(delivery, 'the webhook was delivered');
  const [, t, v1] = delivery.headers['saha-signature'].match(/^t=(\d+),v1=([0-9a-f]{64})$/);
  assert.equal(createHmac('sha256', signingSecret).update(`${t}.${delivery.body}`).digest('hex'), v1);
  assert.equal(JSON.parse(delivery.body).data.fields.name, 'Entegrasyon Ticaret');
  // Its scopes hold: no other kinds.
  const contacts = await fetch(`${server.url}/api/v1/contacts`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(contacts.status, 403);
  assert.equal((await contacts.json()).code, 'insufficient_scope');

  // Back in Settings → API: the last use shows; revoking stops the token.
  await page.goto(`${server.url}/settings/api`);
  const used = page.locator('#api-tokens li.api-token .last-used');
  await used.waitFor();
  assert.notEqual((await used.textContent()).trim(), 'hiç');
  // The delivery log shows the attempt.
  await page.locator('#webhook-list li.webhook details.attempts summary').click();
  await page.locator('#webhook-list p.attempt[data-ok="true"]', { hasText: 'account.created' }).first().waitFor();
  await page.locator('#api-tokens li.api-token button.revoke').click();
  await page.locator('p.empty', { hasText: 'Henüz anahtar yok' }).waitFor();
  const after = await fetch(`${server.url}/api/v1/accounts`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);

  // A token for the privacy officer's tooling: only the request log and access answers.
  await page.locator('#token-name').fill('KVKK aracı');
  await page.locator('#token-all-kinds').uncheck();
  await page.locator('#token-privacy').check();
  await page.getByRole('button', { name: 'Anahtar oluştur' }).click();
  const privacySecret = (await page.locator('#new-token-secret').textContent()).trim();
  const privacyCard = page.locator('#api-tokens li.api-token', { hasText: 'KVKK aracı' });
  await privacyCard.waitFor();
  assert.equal((await privacyCard.locator('code').textContent()).trim(), 'privacy:read');
  const bearer = { headers: { authorization: `Bearer ${privacySecret}` } };
  const held = await fetch(`${server.url}/api/v1/privacy/access/${accountId}`, bearer);
  assert.equal(held.status, 200);
  const disclosure = await held.json();
  assert.equal(disclosure.name, 'Entegrasyon Ticaret');
  assert.equal(disclosure.records[0].own, true);
  assert.equal((await fetch(`${server.url}/api/v1/accounts`, bearer)).status, 403);
  assert.deepEqual(page.cspViolations, []);
  await context.close();
});

test('an admin builds a web form on a phone; a visitor hands in a lead with consent that reaches the app live', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/settings');
  await page.locator('#web-forms-link').click();
  await page.locator('#web-forms-settings h1', { hasText: 'Web formları' }).waitFor();
  await page.locator('p.empty', { hasText: 'Henüz web formu yok' }).waitFor();

  // A lead form asking for e-mail and phone, with an e-mail consent box in the
  // default wording; the minimum fill time is one second.
  await page.locator('#web-form-name').fill('Web sitesi teklif formu');
  assert.equal(await page.locator('#web-form-target').inputValue(), 'lead');
  assert.ok(await page.locator('input[name="form-field"][value="email"]').isChecked());
  await page.locator('input[name="form-consent"][value="EPOSTA"]').check();
  const wording = (await page.locator('#form-wording-EPOSTA').inputValue()).trim();
  assert.match(wording, /e-posta ile haberdar olmak istiyorum/);
  await page.locator('#web-form-thank-you').fill('Teşekkürler, sizi arayacağız.');
  await page.locator('#web-form-min-fill').fill('1');

  // A site that is not an origin is worded before anything is sent, by the rules the
  // server applies.
  await page.locator('#web-form-origins').fill('www.anadolu-ornek.com.tr');
  await page.getByRole('button', { name: 'Form oluştur' }).click();
  await page.locator('#web-form-problem', { hasText: 'bir site adresi değil' }).waitFor();
  assert.equal(await page.locator('#web-forms li.web-form').count(), 0);
  await page.locator('#web-form-origins').fill('https://www.anadolu-ornek.com.tr');
  await page.getByRole('button', { name: 'Form oluştur' }).click();
  const card = page.locator('#web-forms li.web-form', { hasText: 'Web sitesi teklif formu' });
  await card.waitFor();
  assert.match(await card.locator('.consents').textContent(), /E-posta/);
  const pageUrl = await card.locator('a.page-link').getAttribute('href');
  assert.match(pageUrl, /\/forms\/[0-9a-f]{32}$/);
  await card.locator('details.snippet summary').click();
  const snippet = await card.locator('code.web-form-snippet').textContent();
  assert.ok(snippet.startsWith(`<iframe src="${pageUrl}"`), snippet);

  // The leads list is open on the phone while a visitor fills the form elsewhere.
  await page.goto(`${server.url}/leads`);
  await waitForSynced(page);
  const visitor = await phone(browser);
  const form = await visitor.newPage();
  await form.goto(pageUrl);
  assert.ok((await form.locator('form.web-form').textContent()).includes(wording));
  await form.locator('#f-name').fill('Derya Kılınç');
  await form.locator('#f-email').fill('derya@ornek.com.tr');
  await form.locator('#f-phone').fill('0532 111 22 33');
  await form.locator('input[name="consent_0"]').check();
  await form.waitForTimeout(1_200);
  await form.locator('form.web-form button[type="submit"]').click();
  await form.locator('#thanks', { hasText: 'Teşekkürler, sizi arayacağız.' }).waitFor();
  await visitor.close();

  // The lead reaches the phone without a reload, with the consent as evidence.
  const lead = page.locator('.cards .card-title', { hasText: 'Derya Kılınç' });
  await lead.waitFor({ timeout: 15_000 });
  await lead.click();
  await page.locator('[data-consent="ONAY"]').first().waitFor();
  assert.match(await page.locator('main').textContent(), /Web sitesi/);

  // Deleting the form stops its page at once.
  await page.goto(`${server.url}/settings/forms`);
  await page.locator('#web-forms li.web-form button.delete').click();
  await page.locator('p.empty', { hasText: 'Henüz web formu yok' }).waitFor();
  const gone = await fetch(pageUrl);
  assert.equal(gone.status, 404);
  assert.deepEqual(page.cspViolations, []);
  await context.close();
});
