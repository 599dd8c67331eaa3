// End-to-end: a fresh browser downloads a workspace another peer filled, shows progress,
// pages the list, and searches across all of it.
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_OWNER, launch, openApp, phone, startServer, waitForSynced } from './helpers.mjs';

const benchBin = process.env.SAHA_BENCH_BIN;
let server;
let browser;

before(async () => {
  assert.ok(benchBin, 'SAHA_BENCH_BIN must name the saha-bench binary (cargo xtask test sets it)');
  server = await startServer();
  browser = await launch();
  const seeded = spawnSync(benchBin, ['seed-saha', '--http', server.url, '--count', '250', '--seed', '7'], {
    encoding: 'utf8',
  });
  assert.equal(seeded.status, 0, seeded.stderr);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a new device syncs 250 accounts, lists 100 at a time and searches all', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/accounts', BENCH_OWNER);
  await waitForSynced(page);
  assert.equal(await page.locator('output.sync').getAttribute('data-incoming'), '0');
  assert.equal(await page.locator('.card').count(), 100);
  await page.getByText('250 kayıttan 100 tanesi gösteriliyor').waitFor();
  await page.getByRole('button', { name: 'Daha fazla göster' }).click();
  await page.getByText('250 kayıttan 200 tanesi gösteriliyor').waitFor();
  assert.equal(await page.locator('.card').count(), 200);
  await page.getByRole('button', { name: 'Daha fazla göster' }).click();
  await page.locator('.card').nth(249).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Daha fazla göster' }).count(), 0);

  // The list is sorted by name, Turkish letters folded.
  const names = await page.locator('.card-title').allTextContents();
  const folded = (s) => s.toLocaleLowerCase('tr').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i');
  for (let i = 1; i < names.length; i++) {
    assert.ok(folded(names[i - 1]) <= folded(names[i]), `${names[i - 1]} before ${names[i]}`);
  }
  // Search runs over all accounts, not only the rendered ones.
  const last = names[names.length - 1];
  await page.locator('#account-search').fill(last.split(' ')[0].toLocaleUpperCase('tr'));
  await page.locator('.card-title', { hasText: last }).first().waitFor();
  assert.ok((await page.locator('.card').count()) < 250);
  await context.close();
});
