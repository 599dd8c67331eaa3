// Browser benchmarks (Saha only), in headless Chromium on a phone viewport:
//   node bench/browser.mjs --bench-bin BIN --count N --out FILE.json
// The server binary and site come from SAHA_SERVER_BIN / SAHA_SITE_ROOT (see helpers).
// Measures: empty browser → fully synced workspace (with the progress indicator seen),
// cold open with the workspace in IndexedDB, search keystroke → results, JS heap.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BENCH_OWNER, launch, phone, signIn, startServer, waitForFullSync, waitForOfflineReady } from '../tests/helpers.mjs';

const { values } = parseArgs({
  options: {
    'bench-bin': { type: 'string' },
    count: { type: 'string', default: '10000' },
    out: { type: 'string' },
    runs: { type: 'string', default: '3' },
    // Chromium's CPU throttling (CDP Emulation.setCPUThrottlingRate) for every measure:
    // 4 stands in for a mid-range phone.
    'cpu-throttle': { type: 'string', default: '1' },
  },
});
const throttle = Number(values['cpu-throttle']);
const count = Number(values.count);
const runs = Number(values.runs);

function summary(samples) {
  const v = [...samples].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.round((v.length - 1) * q))];
  return { n: v.length, median: at(0.5), min: v[0], max: v[v.length - 1], p50: at(0.5), p99: at(0.99) };
}

const server = await startServer();
const browser = await launch();
const result = { count, cpu_throttle: throttle };
try {
  const seeded = spawnSync(values['bench-bin'], ['seed-saha', '--http', server.url, '--count', String(count)], {
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error('seeding failed');

  const context = await phone(browser);
  await signIn(context, server.url, BENCH_OWNER);
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  // Empty browser → every account synced; watch the progress indicator on the way.
  const started = Date.now();
  await page.goto(`${server.url}/accounts`);
  await page.locator('header.topbar').waitFor({ timeout: 60_000 });
  const maxIncoming = await waitForFullSync(page, 15);
  result.initial_sync_ms = Date.now() - started;
  result.progress_max_incoming = maxIncoming;
  result.progress_text_example = maxIncoming > 0 ? 'Eşitleniyor · N kayıt geliyor' : null;
  await waitForOfflineReady(page);
  // Let the last IndexedDB writes land before measuring a cold open.
  await page.waitForTimeout(1000);

  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.metrics.find((m) => m.name === name)?.value;
  result.js_heap_used_bytes = metric('JSHeapUsedSize');
  result.js_heap_total_bytes = metric('JSHeapTotalSize');
  result.wasm_memory_bytes = await page.evaluate(() => {
    // wasm-bindgen's memory is not exported by name; find it among the module's globals.
    const mem = globalThis.__saha_wasm_memory;
    return mem ? mem.buffer.byteLength : null;
  });

  // Cold open: reload with the workspace in IndexedDB until the list shows accounts.
  const cold = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    await page.reload();
    await page.locator('.card-title').first().waitFor({ timeout: 120_000 });
    cold.push(Date.now() - t0);
  }
  result.cold_open_ms = summary(cold);
  // The app's own breakdown of its last start: IndexedDB read, Automerge load, views.
  result.cold_open_breakdown = await page.evaluate(() => globalThis.__saha_open_timings ?? null);
  result.documents_loaded_at_open = await page.evaluate(() => globalThis.__saha_documents ?? null);
  result.wasm_memory_after_cold_open_bytes = await page.evaluate(() => globalThis.__saha_wasm_memory?.buffer.byteLength ?? null);

  // Opening one record from the list: click one of the first ten cards (a screenful),
  // wait for its page.
  const opens = [];
  for (let j = 0; j < 20; j++) {
    const i = j % 10;
    await page.goto(`${server.url}/accounts`);
    await page.locator('.card-title').nth(i).waitFor();
    const ms = await page.evaluate((n) => new Promise((resolve) => {
      const link = document.querySelectorAll('.cards .card a')[n];
      const t0 = performance.now();
      new MutationObserver((_, observer) => {
        if (document.querySelector('article.detail h1')) {
          observer.disconnect();
          resolve(performance.now() - t0);
        }
      }).observe(document.body, { subtree: true, childList: true });
      link.click();
    }), i);
    opens.push(ms);
  }
  result.open_record_ms = summary(opens);
  await page.goto(`${server.url}/accounts`);
  await page.locator('.card-title').first().waitFor();

  // Search: type a query key by key; time from the input event until the list is updated.
  // Leptos applies the update in microtasks after the input event; a message-channel task
  // runs right after they drain, so it marks the moment the DOM is updated.
  async function typeAndTime(inputId) {
    const times = [];
    for (const query of ['anadolu gida', 'istanbul', 'sule', 'ISPARTA']) {
      await page.locator(`#${inputId}`).fill('');
      await page.waitForTimeout(100);
      for (let i = 1; i <= query.length; i++) {
        const ms = await page.evaluate(([id, q]) => new Promise((resolve) => {
          const input = document.getElementById(id);
          const channel = new MessageChannel();
          const t0 = performance.now();
          channel.port1.onmessage = () => resolve(performance.now() - t0);
          input.value = q;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          channel.port2.postMessage(0);
        }), [inputId, query.slice(0, i)]);
        times.push(ms);
      }
    }
    return summary(times);
  }
  result.search_keystroke_ms = await typeAndTime('account-search');
  // The global search (Ctrl/Cmd+K) over every kind of record.
  await page.locator('#search-link').click();
  await page.locator('#global-search').waitFor();
  result.global_search_keystroke_ms = await typeAndTime('global-search');
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
writeFileSync(values.out, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
