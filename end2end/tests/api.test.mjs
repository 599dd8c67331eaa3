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
  assert.equal(created.status, 201, await created.text());
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
  assert.deepEqual(page.cspViolations, []);
  await context.close();
});
