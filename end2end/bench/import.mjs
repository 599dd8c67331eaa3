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
  const started = Date.now();
  await page.locator('#import-run').click();
  await page.locator('#import-report[data-dry="false"]').waitFor({ timeout: 30 * 60_000 });
  result.import_ms = Date.now() - started;
  result.summary = await page.locator('#import-report .summary').textContent();
  result.wasm_memory_after_import_bytes = await page.evaluate(() => globalThis.__saha_wasm_memory?.buffer.byteLength ?? null);
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
const text = JSON.stringify(result, null, 2);
console.log(text);
if (values.out) writeFileSync(values.out, `${text}\n`);
