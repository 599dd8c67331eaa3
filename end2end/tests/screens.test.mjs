// End-to-end: every screen on a 390×844 phone, in Turkish and in English, with one
// record of every kind present (every field filled, linked to each other): nothing
// scrolls sideways, no message key or code shows instead of a word, and axe-core finds
// no serious or critical accessibility violation. Also: every area is reachable in two
// taps from the tab bar, and an unknown address shows the not-found page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OWNER, launch, openApp, setUp, startServer, waitForSynced } from './helpers.mjs';

const root = resolve(import.meta.dirname, '../..');
const benchBin = process.env.SAHA_BENCH_BIN ?? join(root, 'target/debug/saha-bench');
const axeSource = readFileSync(join(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');

/** URL section of each kind (as `saha_core::kinds::KIND_INFO` has them). */
const SECTIONS = {
  account: 'accounts',
  contact: 'contacts',
  lead: 'leads',
  opportunity: 'opportunities',
  product: 'products',
  quote: 'quotes',
  order: 'orders',
  invoice: 'invoices',
  case: 'cases',
  call: 'calls',
  task: 'tasks',
  meeting: 'meetings',
  segment: 'segments',
  campaign: 'campaigns',
};

/**
 * With `SAHA_SCREENSHOTS=<dir>`, the Turkish pass also saves these screens there (the
 * README shows them): route → file name. Kinds are resolved to the seeded records.
 */
const SCREENSHOTS = process.env.SAHA_SCREENSHOTS;
const SHOTS = {
  '/today': 'today',
  '/menu': 'menu',
  '/accounts': 'accounts',
  'account': 'account-360',
  '/pipeline': 'pipeline',
  'quote': 'quote',
  'case': 'case',
  '/calendar': 'calendar',
};

const PAGES = [
  '/',
  '/today',
  '/menu',
  '/pipeline',
  '/search',
  '/calendar',
  '/special-days',
  '/consents',
  '/loyalty',
  '/surveys',
  '/reports/service',
  '/reports/profit',
  '/reports/customers',
  '/reports/demand',
  '/reports/performance',
  '/settings',
  '/settings/members',
  '/settings/audit',
  '/settings/pipeline',
  '/settings/service',
  '/settings/company',
  '/settings/bin',
  '/settings/duplicates',
  '/accounts/export',
  '/settings/api',
  '/settings/forms',
  '/settings/privacy',
];

let server;
let browser;
/** [kind, id] of the seeded records. */
let seeded = [];

before(async () => {
  server = await startServer();
  await setUp(server.url);
  const run = spawnSync(
    benchBin,
    ['seed-screens', '--http', server.url, '--email', OWNER.email, '--password', OWNER.password],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  assert.equal(run.status, 0, 'saha-bench seeded one record of every kind');
  seeded = run.stdout.trim().split('\n').map((line) => line.split(' '));
  assert.equal(seeded.length, Object.keys(SECTIONS).length, 'one record of every kind');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function routes() {
  const all = [...PAGES];
  for (const [kind, id] of seeded) {
    const section = SECTIONS[kind];
    all.push(`/${section}`, `/${section}/new`, `/${section}/${id}`, `/${section}/${id}/edit`);
  }
  return all;
}

/** What is wrong with the page as it is now: overflow, codes shown as words, axe. */
async function problemsOf(page, width = 390) {
  const found = [];
  // Measured against the phone's 390 px, not innerWidth: a mobile browser may widen its
  // layout viewport to fit content that overflows.
  const widths = await page.evaluate((phoneWidth) => ({
    scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    inner: phoneWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > phoneWidth + 1)
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id}`),
  }), width);
  if (widths.scroll > widths.inner) {
    found.push(`scrolls sideways: ${widths.scroll} px > ${widths.inner} px (${widths.wide.join(', ')})`);
  }
  // A message key or a raw code (`field.city`, `invitation.created`, `not_a_record`)
  // where a word belongs.
  const codes = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out = [];
    const code = /^(?:[a-z]+(?:[._-][a-z]+)+)$/;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, [hidden], input, textarea, option[value=""]')) continue;
      if (code.test(text) && (text.includes('.') || text.includes('_'))) out.push(text);
    }
    return out;
  });
  for (const text of codes) found.push(`code shown as a word: ${text}`);
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  for (const v of violations) found.push(`axe ${v}`);
  return found;
}

/** Opens the app on a new device of `viewport` and waits for every seeded record. */
async function openSynced(options) {
  // axe-core is put into the page from the test; the app's CSP would refuse it.
  const context = await browser.newContext({ hasTouch: true, bypassCSP: true, ...options });
  const page = await openApp(context, server.url, '/today');
  // Three passes bootstrap at once; on CI's two cores that can take longer than one.
  await waitForSynced(page, 60_000);
  await page.goto(`${server.url}/${SECTIONS.campaign}/${seeded.at(-1)[1]}`);
  await page.locator('article.detail h1').waitFor();
  return { context, page };
}

/** Visits every route, calling `visited(route)` after the checks; returns the problems. */
async function checkRoutes(page, width, visited = async () => {}) {
  const report = [];
  for (const route of routes()) {
    await page.goto(server.url + route);
    await page.locator('main#main > *').first().waitFor();
    // Let the page's data and effects settle (IndexedDB read, derived views).
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(150);
    for (const problem of await problemsOf(page, width)) report.push(`${route}: ${problem}`);
    await visited(route);
  }
  return report;
}

// The three passes run at once: each spends most of its time waiting for pages to
// settle, not computing.
describe('every screen', { concurrency: true }, () => {
  for (const locale of ['tr-TR', 'en-US']) {
    test(`on a phone: fits 390 px, words everything and passes axe (${locale})`, async () => {
      const { context, page } = await openSynced({ viewport: { width: 390, height: 844 }, locale, isMobile: true });
      const report = await checkRoutes(page, 390, async (route) => {
        if (SCREENSHOTS && locale === 'tr-TR') {
          const parts = route.split('/');
          const record = parts.length === 3 && seeded.find(([, id]) => id === parts[2]);
          const name = SHOTS[route] ?? (record ? SHOTS[record[0]] : undefined);
          if (name) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: name === 'quote' });
        }
      });
      assert.deepEqual(report, [], `problems on ${locale}:\n${report.join('\n')}`);
      // An amount opens for editing the way the member writes numbers.
      const deal = seeded.find(([kind]) => kind === 'opportunity')[1];
      await page.goto(`${server.url}/opportunities/${deal}/edit`);
      const amount = await page.locator('#opportunity-amount').inputValue();
      assert.equal(amount, locale === 'tr-TR' ? '1.250.000,5' : '1250000.5');
      await context.close();
    });
  }

  test('on a tablet: fits 1024 × 768 in landscape with the side rail, words everything and passes axe', async () => {
    const { context, page } = await openSynced({ viewport: { width: 1024, height: 768 }, locale: 'tr-TR' });
    assert.ok(await page.locator('nav.rail').isVisible(), 'a tablet gets the side rail');
    assert.ok(!(await page.locator('nav.tabs').isVisible()), 'and no phone tab bar');
    const report = await checkRoutes(page, 1024);
    assert.deepEqual(report, [], `problems on a tablet:\n${report.join('\n')}`);
    await context.close();
  });
});

describe('getting around on a phone', () => {
  test('every area of the menu is two taps away, and an unknown address is not found', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'tr-TR', isMobile: true, hasTouch: true });
    const page = await openApp(context, server.url, '/');
    // "/" is today's work.
    await page.locator('nav.tabs a[href="/today"][aria-current="page"]').waitFor();
    await page.locator('nav.tabs a[href="/menu"]').click();
    const hrefs = await page.locator('nav.menu a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length >= 20, `the menu lists every area: ${hrefs}`);
    for (const href of hrefs) {
      await page.locator('nav.tabs a[href="/menu"]').click(); // tap 1
      await page.locator(`nav.menu a[href="${href}"]`).click(); // tap 2
      await page.waitForURL(server.url + href);
      await page.locator('main#main > *').first().waitFor();
      assert.equal(await page.locator('main .empty', { hasText: 'Sayfa bulunamadı.' }).count(), 0, `${href} is a page`);
    }
    // The tab bar stays on screen while a long page scrolls.
    const bar = await page.locator('nav.tabs').boundingBox();
    assert.ok(bar.y + bar.height <= 844 + 1 && bar.y > 700, `the tab bar sits at the bottom: ${JSON.stringify(bar)}`);
    await page.goto(`${server.url}/no-such-place`);
    await page.locator('main .empty', { hasText: 'Sayfa bulunamadı.' }).waitFor();
    await page.goto(`${server.url}/no-such-place/123`);
    await page.locator('main .empty', { hasText: 'Sayfa bulunamadı.' }).waitFor();
    await context.close();
  });
});
