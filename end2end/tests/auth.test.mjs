// End-to-end: first-run setup, login, invitations, roles, logout with wipe, and the
// Content-Security-Policy, in a real browser against a fresh server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OWNER, createAccount, goToArea, launch, openApp, phone, startServer, waitForSynced,
} from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Creates an invitation on the members page; returns the link. */
async function invite(page, role, team) {
  await page.goto(`${server.url}/settings/members`);
  await page.locator('#invite-role').waitFor();
  await page.locator('#invite-role').selectOption(role);
  if (team) await page.locator('#invite-team').selectOption({ label: team });
  await page.getByRole('button', { name: 'Davet et' }).click();
  const link = page.locator('#invitation-link');
  await link.waitFor();
  return (await link.textContent()).trim();
}

/** Opens an invitation link in a fresh context and accepts it. */
async function accept(link, name, email) {
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(link);
  await page.locator('#invite-name').waitFor();
  await page.locator('#invite-name').fill(name);
  await page.locator('#invite-email').fill(email);
  await page.locator('#invite-password').fill('ikinci-parola-2026');
  await page.getByRole('button', { name: 'Daveti kabul et' }).click();
  await page.locator('#user-menu', { hasText: name }).waitFor();
  // A new member starts on today's work; the accounts are one tap away.
  await page.locator('nav.tabs a[href="/today"][aria-current="page"]').waitFor();
  await goToArea(page, /Müşteriler/);
  return { context, page };
}

test('sign up, invite a colleague, and both see the shared account', async () => {
  const context = await phone(browser);
  const page = await context.newPage();
  const csp = [];
  page.on('console', (m) => m.text().includes('Content Security Policy') && csp.push(m.text()));
  await page.goto(server.url);
  // A fresh server asks for its first workspace.
  await page.locator('#setup-form').waitFor();
  await page.locator('#setup-workspace').fill('Anadolu Ticaret');
  await page.locator('#setup-name').fill('Ayşe Sahip');
  await page.locator('#setup-email').fill(OWNER.email);
  await page.locator('#setup-password').fill('kısa');
  await page.getByRole('button', { name: 'Çalışma alanını oluştur' }).click();
  await page.getByText('Parola en az 10 karakter olmalı.').waitFor();
  assert.equal(await page.locator('#setup-workspace').inputValue(), 'Anadolu Ticaret', 'what was typed is kept');
  await page.locator('#setup-password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Çalışma alanını oluştur' }).click();
  await page.locator('#user-menu', { hasText: 'Ayşe Sahip' }).waitFor();

  await createAccount(page, { name: 'Ortak Müşteri A.Ş.', city: 'Bursa' });
  await waitForSynced(page);

  // The owner makes a team and invites a sales rep into it.
  await page.goto(`${server.url}/settings/members`);
  await page.locator('#team-name').fill('Marmara');
  await page.getByRole('button', { name: 'Ekip ekle' }).click();
  await page.locator('#invite-team option', { hasText: 'Marmara' }).waitFor({ state: 'attached' });
  const link = await invite(page, 'sales_rep', 'Marmara');
  assert.match(link, /\/invite\/[0-9a-f]{64}$/);

  const rep = await accept(link, 'Mehmet Temsilci', 'mehmet@anadolu.test');
  await waitForSynced(rep.page);
  await rep.page.locator('.card-title', { hasText: 'Ortak Müşteri A.Ş.' }).waitFor();
  // The rep's new account lands in their team and reaches the owner.
  await createAccount(rep.page, { name: 'Temsilcinin Müşterisi', city: 'Kocaeli' });
  assert.equal(await rep.page.locator('[data-field="team"]').textContent(), 'Marmara');
  await waitForSynced(rep.page);
  await page.goto(`${server.url}/accounts`);
  await page.locator('.card-title', { hasText: 'Temsilcinin Müşterisi' }).waitFor();

  // The invitation is used up.
  const againContext = await phone(browser);
  const again = await againContext.newPage();
  await again.goto(link);
  await again.getByText('Bu davet bağlantısı artık geçerli değil.').waitFor();
  await againContext.close();

  // The audit log shows who did what.
  await page.goto(`${server.url}/settings/audit`);
  await page.locator('#audit tr[data-action="invitation.accepted"]').waitFor();
  await page.locator('#audit tr[data-action="workspace.created"]').waitFor();
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  await rep.context.close();
  await context.close();
});

test('a wrong password is refused and a read-only member gets no edit buttons', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/', null);
  await page.locator('#login-form').waitFor();
  await page.locator('#login-email').fill(OWNER.email);
  await page.locator('#login-password').fill('yanlış-parola');
  await page.getByRole('button', { name: 'Giriş yap' }).click();
  await page.getByText('E-posta ya da parola yanlış.').waitFor();
  await page.locator('#login-password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
  await page.locator('#user-menu').waitFor();

  const link = await invite(page, 'read_only');
  const viewer = await accept(link, 'Zeynep İzleyici', 'zeynep@anadolu.test');
  await waitForSynced(viewer.page);
  await viewer.page.locator('.card-title', { hasText: 'Ortak Müşteri A.Ş.' }).click();
  await viewer.page.locator('article.detail h1').waitFor();
  assert.equal(await viewer.page.getByRole('link', { name: 'Düzenle' }).count(), 0);
  await viewer.page.goto(`${server.url}/accounts`);
  await viewer.page.locator('.card').first().waitFor();
  assert.equal(await viewer.page.getByRole('link', { name: /Yeni müşteri/ }).count(), 0);
  await viewer.context.close();
  await context.close();
});

test('logging out with "delete my data" removes the local database', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url);
  await waitForSynced(page);
  await page.locator('.card').first().waitFor();
  const before = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.ok(before.some((name) => name.startsWith('saha-')), before.join());
  await page.locator('#user-menu').click();
  await page.locator('#wipe-device').check();
  await page.locator('#logout').click();
  await page.locator('#login-form').waitFor();
  const after = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.deepEqual(after.filter((name) => name.startsWith('saha-')), []);
  // The session is over on the server too.
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
  assert.equal(me, 401);
  await context.close();
});
