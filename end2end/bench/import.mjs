// Browser benchmark of an import (issue 21's targets), in headless Chromium on a phone
// viewport:
//   node bench/import.mjs --bench-bin BIN --rows 100000 --out FILE.json
// Writes `rows` accounts in 15 columns as Turkish Excel saves them (`saha-bench
// import-file`: Windows-1254, `;`, dd.mm.yyyy, 1.234,56, addresses with line breaks),
// opens Settings → Import in an empty browser, picks the file and imports it. Reports
// the time from "Import" to the report, the WASM memory after it (wasm memory only
// grows, so this is the peak), and the time until the server has every record (the
// sync badge reads "synced" with nothing pending).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch, openApp, phone, setUp, startServer, waitForSynced } from '../tests/helpers.mjs';

const { values } = parseArgs({
  options: {
    'bench-bin': { type: 'string' },
    rows: { type: 'string', default: '100000' },
    out: { type: 'string' },
    'sync-minutes': { type: 'string', default: '20' },
    // Where to write a CPU profile of the import (Chrome DevTools' `.cpuprofile`), and
    // print the functions that take the most time in it.
    profile: { type: 'string' },
    // Import with the browser offline (then measure the sync after going online).
    offline: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'saha-import-bench-'));
const file = join(dir, 'firmalar.csv');
const made = spawnSync(values['bench-bin'], ['import-file', '--rows', String(rows), '--out', file], { stdio: 'inherit' });
if (made.status !== 0) throw new Error('writing the file failed');

const server = await startServer();
await setUp(server.url);
const browser = await launch();
const result = { rows, file_bytes: statSync(file).size };
try {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/settings/import');
  await waitForSynced(page);
  result.wasm_memory_before_bytes = await page.evaluate(() => globalThis.__saha_wasm_memory?.buffer.byteLength ?? null);
  const picked = Date.now();
  await page.locator('#import-file').setInputFiles(file);
  await page.locator('select.import-field').first().waitFor({ timeout: 120_000 });
  await page.locator('#import-run:not([disabled])').waitFor({ timeout: 120_000 });
  result.open_and_map_ms = Date.now() - picked;
  const cdp = values.profile ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
  }
  if (values.offline) await context.setOffline(true);
  const started = Date.now();
  await page.locator('#import-run').click();
  await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 30 * 60_000 });
  result.import_ms = Date.now() - started;
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(values.profile, JSON.stringify(profile));
    result.profile_top = topFunctions(profile, 25);
  }
  result.summary = await page.locator('#import-report .summary').textContent();
  result.wasm_memory_after_import_bytes = await page.evaluate(() => globalThis.__saha_wasm_memory?.buffer.byteLength ?? null);
  if (values.offline) await context.setOffline(false);
  const syncStarted = Date.now();
  const deadline = syncStarted + Number(values['sync-minutes']) * 60_000;
  for (;;) {
    const badge = page.locator('output.sync');
    const state = await badge.getAttribute('data-sync');
    const pending = await badge.getAttribute('data-pending');
    if (state === 'synced' && (pending === null || pending === '0')) break;
    if (Date.now() > deadline) throw new Error(`not synced (state ${state}, pending ${pending})`);
    await page.waitForTimeout(200);
  }
  result.sync_after_import_ms = Date.now() - syncStarted;
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
/** The `count` functions with the most self time in a CPU profile, with their share. */
function topFunctions(profile, count) {
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${(100 * us / total).toFixed(1)}% ${name}`);
}

const text = JSON.stringify(result, null, 2);
console.log(text);
if (values.out) writeFileSync(values.out, `${text}\n`);
