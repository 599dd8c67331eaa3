// Browser benchmark of the reports (issue 20's targets), in headless Chromium on a phone
// viewport:
//   node bench/reports.mjs --bench-bin BIN --count 10000 --sales 10000 --lines 5 --out FILE.json
// Seeds `count` accounts and `sales` orders and invoices of `lines` lines (200 products,
// one rated case per two sales), syncs them into an empty browser, then opens each
// report page in turn (in-app navigation, so the sales ledger the app keeps is warm, as
// after a change) and reads how long each report's computation took from
// `globalThis.__saha_report_timings`, which the app fills. `--runs` rounds, median and
// worst of each; `every_report` sums the report pages (profitability, loyalty and risk,
// demand with its chosen product, team performance), an account's 360° insights apart. Also: the co-occurrence index's build, the sales ledger's size and the
// WASM memory after all of it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BENCH_OWNER, launch, phone, signIn, startServer, waitForFullSync, waitForOfflineReady } from '../tests/helpers.mjs';

const { values } = parseArgs({
  options: {
    'bench-bin': { type: 'string' },
    count: { type: 'string', default: '10000' },
    sales: { type: 'string', default: '10000' },
    lines: { type: 'string', default: '5' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string' },
    'cpu-throttle': { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const throttle = Number(values['cpu-throttle']);

function summary(samples) {
  const v = [...samples].sort((a, b) => a - b);
  return { n: v.length, median: v[Math.floor((v.length - 1) / 2)], min: v[0], max: v[v.length - 1] };
}

const server = await startServer();
const browser = await launch();
const result = {
  accounts: Number(values.count),
  sales: Number(values.sales),
  lines_per_sale: Number(values.lines),
  cpu_throttle: throttle,
};
try {
  const seeded = spawnSync(
    values['bench-bin'],
    ['seed-saha', '--http', server.url, '--count', values.count, '--sales', values.sales, '--lines', values.lines],
    { stdio: 'inherit' },
  );
  if (seeded.status !== 0) throw new Error('seeding failed');

  const context = await phone(browser);
  await signIn(context, server.url, BENCH_OWNER);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${server.url}/accounts`);
  await page.locator('header.topbar').waitFor({ timeout: 60_000 });
  await waitForFullSync(page, 20);
  result.initial_sync_ms = Date.now() - started;
  await waitForOfflineReady(page);
  await page.waitForTimeout(1000);
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  const account = await page.evaluate(() => document.querySelector('.cards .card a')?.getAttribute('href'));
  if (!account) throw new Error('no account to open');

  // In-app navigation (the router follows popstate).
  async function go(path, name) {
    await page.evaluate(([p, n]) => {
      if (globalThis.__saha_report_timings && n) delete globalThis.__saha_report_timings[n];
      history.pushState({}, '', p);
      dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    }, [path, name]);
  }
  // Opens a report and waits for its computation's timing.
  async function open(path, name) {
    await go(path, name);
    const until = Date.now() + 120_000;
    for (;;) {
      const ms = await page.evaluate((n) => globalThis.__saha_report_timings?.[n], name);
      if (typeof ms === 'number') return ms;
      if (Date.now() > until) throw new Error(`${name}: no timing after 2 min on ${path}`);
      await page.waitForTimeout(20);
    }
  }
  const pages = [
    ['/reports/profit', 'profit'],
    ['/reports/customers', 'customers'],
    ['/reports/demand', 'demand_products'],
    ['/reports/performance', 'performance'],
    [account, 'insights'],
  ];
  const samples = Object.fromEntries(pages.map(([, name]) => [name, []]));
  samples.demand = [];
  samples.every_report = [];
  for (let i = 0; i < runs; i++) {
    let total = 0;
    for (const [path, name] of pages) {
      const ms = await open(path, name);
      samples[name].push(ms);
      // The report pages; an account's 360° insights are reported apart.
      if (name !== 'insights') total += ms;
      if (name === 'demand_products') {
        // The chosen product's history and forecast, computed beside the list.
        const demand = await page.evaluate(() => globalThis.__saha_report_timings?.demand ?? 0);
        samples.demand.push(demand);
        total += demand;
      }
      // Leave the page, so the next visit computes afresh.
      await go('/accounts', null);
      await page.locator('.card-title').first().waitFor();
    }
    samples.every_report.push(total);
  }
  result.report_ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)]));
  const timings = await page.evaluate(() => globalThis.__saha_report_timings ?? {});
  result.co_occurrence_build_ms = timings.co_occurrence ?? null;
  result.sales_ledger_bytes = timings.sales_ledger_bytes ?? null;
  result.wasm_memory_bytes = await page.evaluate(() => globalThis.__saha_wasm_memory?.buffer.byteLength ?? null);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
