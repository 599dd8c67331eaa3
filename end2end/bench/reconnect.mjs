// How long the sync badge takes to notice the network coming back, on a phone:
//   node bench/reconnect.mjs [--runs N]
// The server binary and site come from SAHA_SERVER_BIN / SAHA_SITE_ROOT (see helpers).
// Each run: synced → network off (badge "offline") → one account made offline → the
// network back → time until the badge says "synced" with nothing pending (the change
// confirmed by the server). Prints JSON with every sample and the median.
import { parseArgs } from 'node:util';
import { createAccount, launch, openApp, phone, setUp, startServer, waitForSynced } from '../tests/helpers.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

const server = await startServer();
await setUp(server.url);
const browser = await launch();
const samples = [];
try {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/accounts');
  await waitForSynced(page);
  for (let run = 0; run < runs; run += 1) {
    await context.setOffline(true);
    await page.locator('output.sync[data-sync="offline"]').waitFor();
    await createAccount(page, { name: `Yeniden bağlanma ${run}`, city: 'İzmir' });
    // Offline long enough for the reconnect back-off to have grown.
    await page.waitForTimeout(5_000);
    const start = Date.now();
    await context.setOffline(false);
    await page.locator('output.sync[data-sync="synced"][data-pending="0"]').waitFor({ timeout: 60_000 });
    samples.push(Date.now() - start);
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
const sorted = [...samples].sort((a, b) => a - b);
console.log(JSON.stringify({ runs, samples_ms: samples, median_ms: sorted[Math.floor(sorted.length / 2)], max_ms: sorted.at(-1) }));
