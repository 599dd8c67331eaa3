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

test('a new device syncs 250 accounts into one virtualised list and searches all', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/accounts', BENCH_OWNER);
  await waitForSynced(page);
  assert.equal(await page.locator('output.sync').getAttribute('data-incoming'), '0');
  await page.locator('p.count', { hasText: '250 kayıt' }).waitFor();
  // Only the cards in view (and a few either side) are in the DOM.
  const folded = (s) => s.toLocaleLowerCase('tr').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i');
  const rendered = async () => page.locator('.cards .card-title').allTextContents();
  const top = await rendered();
  assert.ok(top.length >= 8 && top.length <= 40, `a screenful of cards is rendered, not 250: ${top.length}`);
  // Scrolling to the end brings the last cards in and the first ones out; every name
  // seen on the way is in order (Turkish letters folded), and all 250 are reachable.
  const seen = new Map();
  for (let y = 0; ; y += 300) {
    await page.evaluate((y) => window.scrollTo(0, y), y);
    await page.waitForTimeout(50);
    const cards = await page.evaluate(() => [...document.querySelectorAll('.cards .card a')].map((a) => [a.getAttribute('href'), a.querySelector('.card-title').textContent]));
    for (const [href, name] of cards) seen.set(href, name);
    assert.ok(cards.length <= 40, `still only the cards in view: ${cards.length}`);
    const atEnd = await page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2);
    if (atEnd) break;
    assert.ok(y < 100_000, 'the list ends');
  }
  assert.equal(seen.size, 250, 'every account was reachable by scrolling');
  const names = [...seen.values()];
  for (let i = 1; i < names.length; i++) {
    assert.ok(folded(names[i - 1]) <= folded(names[i]), `${names[i - 1]} before ${names[i]}`);
  }
  assert.ok(!(await rendered()).includes(top[0]), 'the first card left the DOM at the end of the list');
  await page.evaluate(() => window.scrollTo(0, 0));
  // Search runs over all accounts, not only the rendered ones.
  const last = names[names.length - 1];
  await page.locator('#account-search').fill(last.split(' ')[0].toLocaleUpperCase('tr'));
  await page.locator('.card-title', { hasText: last }).first().waitFor();
  assert.ok((await page.locator('.card').count()) < 250);
  await page.locator('p.count', { hasText: /^\d+ kayıt$/ }).waitFor();
  await context.close();
});
