// End-to-end: a manager on a phone reads the customer reports of a workspace whose
// answers are worked out by hand (`saha-bench seed-analytics`, see bench/src/analytics.rs):
// the satisfaction–loyalty matrix with one account per cell and two without data, a
// drill-down, thresholds changed and saved for the workspace, a segment made from a
// group; the customers at risk and the silent ones, one marked former through its
// lifecycle; an account's group, share of wallet and what to offer it next; a
// product's demand with its forecast; and the team's performance with a monthly goal,
// which a sales rep without those deals does not see. Each report's tables download as
// CSV and Excel; a chart's numbers are a table one tap away; a campaign is built from a
// matrix group; a quote suggests what goes with its lines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { OWNER, goToArea, launch, openApp, phone, setUp, startServer, waitForSynced } from './helpers.mjs';

const root = resolve(import.meta.dirname, '../..');
const benchBin = process.env.SAHA_BENCH_BIN ?? join(root, 'target/debug/saha-bench');

let server;
let browser;

before(async () => {
  server = await startServer();
  await setUp(server.url);
  const run = spawnSync(
    benchBin,
    ['seed-analytics', '--http', server.url, '--email', OWNER.email, '--password', OWNER.password],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  assert.equal(run.status, 0, 'saha-bench seeded the worked example');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Clicks `button` and returns the download's file name and bytes. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The count shown on a cell of the matrix. */
async function cell(page, group) {
  return (await page.locator(`#matrix-cells button[data-group="${group}"] .count`).textContent()).trim();
}

test('the matrix, its drill-down, saved thresholds and a segment of a group', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/today');
  await waitForSynced(page);
  await goToArea(page, 'Sadakat ve risk');
  await page.locator('#customers-report h1', { hasText: 'Sadakat ve risk' }).waitFor();
  await page.locator('#matrix-cells button[data-group="advocate"] .count', { hasText: '1' }).waitFor();
  for (const group of ['dangerous', 'captive', 'mercenary', 'advocate']) {
    assert.equal(await cell(page, group), '1', group);
  }
  // Two accounts have no opinion in the period: counted apart, not placed.
  await page.locator('#no-satisfaction-data', { hasText: '2 hesabın' }).waitFor();
  assert.equal(await page.locator('#loyalty-matrix svg circle.dot').count(), 4);
  assert.equal(await page.locator('#loyalty-matrix svg line.threshold').count(), 2);
  // The chart's numbers are a table one tap away, the best cell first.
  await page.locator('#loyalty-matrix summary').click();
  const cells = page.locator('#loyalty-matrix-table tbody tr');
  await cells.first().waitFor();
  assert.equal(await cells.count(), 4);
  assert.match(await cells.first().textContent(), /Savunucu.*1$/);
  // Every customer with group and retention downloads as CSV (UTF-8 with a BOM, so
  // Excel keeps the Turkish letters) and as an Excel workbook.
  const csv = await download(page, '#customers-export-csv');
  assert.match(csv.name, /^Sadakat-ve-risk-\d{4}-\d\d-\d\d\.csv$/);
  const text = csv.bytes.toString('utf8');
  assert.ok(text.startsWith('\ufeffMüşteri,Memnuniyet'), text.slice(0, 40));
  const rows = text.trimEnd().split('\r\n');
  assert.equal(rows.length, 1 + 6, 'a header and the six customers');
  assert.ok(rows.some((r) => r.startsWith('Tutsak Market,"Tutsak (sadık, memnun değil)",')), rows.join('\n'));
  const xlsx = await download(page, '#customers-export-xlsx');
  assert.match(xlsx.name, /\.xlsx$/);
  assert.equal(xlsx.bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  // Stored, not compressed: the sheet's XML is readable in the file.
  assert.ok(xlsx.bytes.toString('utf8').includes('<t>Tutsak Market</t>'));

  // Tapping a cell lists its accounts and marks their dots.
  await page.locator('#matrix-cells button[data-group="captive"]').click();
  const members = page.locator('#matrix-members tbody tr');
  await members.first().waitFor();
  assert.deepEqual(await members.locator('td:first-child').allTextContents(), ['Tutsak Market']);
  assert.equal(await page.locator('#loyalty-matrix svg circle.dot.marked').count(), 1);

  // A stricter loyalty threshold moves Tutsak Market (loyalty 82) to the dangerous cell.
  await page.locator('#loyal-from').fill('90');
  await page.locator('#loyal-from').dispatchEvent('change');
  await page.locator('#matrix-cells button[data-group="dangerous"] .count', { hasText: '2' }).waitFor();
  assert.equal(await cell(page, 'captive'), '0');
  // Saved for the workspace, it is what the page opens with next time.
  await page.locator('#save-thresholds').click();
  await page.locator('#report-note', { hasText: 'kaydedildi' }).waitFor();
  await page.reload();
  await page.locator('#customers-report').waitFor();
  await page.locator('#matrix-cells button[data-group="dangerous"] .count', { hasText: '2' }).waitFor();
  assert.equal(await page.locator('#loyal-from').inputValue(), '90');
  await page.locator('#loyal-from').fill('50');
  await page.locator('#loyal-from').dispatchEvent('change');
  await page.locator('#save-thresholds').click();
  await page.locator('#report-note', { hasText: 'kaydedildi' }).waitFor();
  await page.locator('#matrix-cells button[data-group="captive"] .count', { hasText: '1' }).waitFor();

  // A segment of the captive group: the form comes filled, and it reaches the buyer.
  await page.locator('#matrix-cells button[data-group="captive"]').click();
  await page.locator('#make-segment').click();
  assert.equal(await page.locator('#segment-loyalty_group').inputValue(), 'captive');
  assert.match(await page.locator('#segment-name').inputValue(), /^Tutsak/);
  await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
  await page.locator('article.detail[data-kind="segment"] h1', { hasText: 'Tutsak' }).waitFor();
  await page.locator('#segment-count', { hasText: '1' }).waitFor();
  await page.locator('.segment-members .card', { hasText: 'Mehmet Kaya' }).waitFor();
  const segmentName = (await page.locator('article.detail[data-kind="segment"] h1').textContent()).trim();

  // A campaign for that group: its audience is the segment's person.
  await goToArea(page, 'Kampanyalar');
  await page.locator('#new-record').click();
  await page.locator('#campaign-name').fill('Tutsaklara özel ilgi');
  await page.locator('#campaign-segment').fill('tutsak');
  await page.locator('.picker-option', { hasText: segmentName }).click();
  await page.locator('#campaign-channel').selectOption('MESAJ');
  await page.locator('#campaign-template').fill('Merhaba {{first_name}}, sizi dinlemek istiyoruz.');
  await page.getByRole('button', { name: /^(Kaydet|Save)$/ }).click();
  await page.locator('article.detail[data-kind="campaign"] h1', { hasText: 'Tutsaklara özel ilgi' }).waitFor();
  const reached = Number(await page.locator('#audience-included').textContent());
  const left = Number(await page.locator('#audience-excluded').textContent());
  assert.equal(reached + left, 1, 'the one person of the captive group');
  await page.locator('#included li, #excluded li', { hasText: 'Mehmet Kaya' }).first().waitFor();
  assert.deepEqual(page.cspViolations, []);
  await context.close();
});

test('customers at risk by margin, and a silent one marked former through its lifecycle', async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/reports/customers');
  await waitForSynced(page);
  const risky = page.locator('#at-risk tbody tr', { hasText: 'Riskli Otel' });
  await risky.waitFor();
  // Every 30 days until 100 days ago.
  assert.equal((await risky.locator('td').nth(2).textContent()).trim(), '30');
  assert.equal((await risky.locator('td').nth(3).textContent()).trim(), '100');
  assert.equal(await page.locator('#at-risk tbody tr', { hasText: 'Sessiz' }).count(), 0);
  const silent = page.locator('#silent li', { hasText: 'Sessiz A.Ş.' });
  await silent.waitFor();
  await silent.locator('button.mark-former').click();
  await page.locator('#report-note', { hasText: 'Eski müşteri olarak işaretlendi' }).waitFor();
  await page.locator('#silent li', { hasText: 'Sessiz A.Ş.' }).waitFor({ state: 'detached' });
  // The account says so, and its timeline has the step.
  await page.goto(server.url + '/accounts');
  await page.locator('.card-title', { hasText: 'Sessiz A.Ş.' }).click();
  await page.locator('article.detail[data-kind="account"] h1', { hasText: 'Sessiz A.Ş.' }).waitFor();
  await page.locator('article.detail', { hasText: 'Eski' }).first().waitFor();
  await context.close();
});

test("an account's group, share of wallet and what to offer it next; a product's forecast", async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/accounts');
  await waitForSynced(page);
  await page.locator('.card-title', { hasText: 'Paralı Ticaret' }).click();
  await page.locator('article.detail[data-kind="account"] h1', { hasText: 'Paralı Ticaret' }).waitFor();
  await page.locator('#tab-360-details').click();
  const group = page.locator('#account-insights dd[data-figure="loyalty_group"]');
  await group.waitFor();
  assert.equal(await group.getAttribute('data-group'), 'mercenary');
  // 3 × 900 ₺ in the last 12 months against a potential of 100.000 ₺.
  await page.locator('#account-insights dd[data-figure="share_of_wallet"]', { hasText: '%2,7' }).waitFor();
  // Olives were bought with olive oil by three other customers.
  await page.locator('#cross-sell li', { hasText: 'Salamura Zeytin 1 kg' }).waitFor();

  await goToArea(page, 'Talep');
  await page.locator('#demand-report h1').waitFor();
  assert.equal(
    await page.locator('#demand-product option:checked').textContent(),
    'Sızma Zeytinyağı 5 L',
    'the best seller is shown first',
  );
  await page.locator('#forecast-figures dd[data-figure="method"]').waitFor();
  assert.equal(await page.locator('#forecast-figures dd[data-figure="forecast"]').count(), 3);
  assert.equal(await page.locator('#demand-chart rect.bar.forecast').count(), 3);
  assert.ok((await page.locator('#demand-chart rect.bar').count()) > 3);
  // The other product has its own history.
  await page.locator('#demand-product').selectOption({ label: 'Salamura Zeytin 1 kg' });
  await page.locator('#demand-chart rect.bar.forecast').first().waitFor();
  // Every product's months and forecasts download as one table.
  const demand = (await download(page, '#demand-export-csv')).bytes.toString('utf8').trimEnd().split('\r\n');
  assert.match(demand[0], /^\ufeffÜrün,Ay,Miktar,Tahmin,/);
  assert.ok(demand.some((r) => r.startsWith('Salamura Zeytin 1 kg,') && r.split(',')[3] !== ''), 'forecast rows');

  // A new quote for Paralı Ticaret suggests olives beside its lines; one tap adds them.
  await goToArea(page, 'Teklifler');
  await page.locator('#new-record').click();
  await page.locator('#quote-account').fill('paralı');
  await page.locator('.picker-option', { hasText: 'Paralı Ticaret' }).click();
  await page.getByRole('button', { name: /^Kaydet$/ }).click();
  await page.locator('article.detail[data-kind="quote"]').waitFor();
  const suggestion = page.locator('#line-suggestions button.suggestion', { hasText: 'Salamura Zeytin 1 kg' });
  await suggestion.click();
  await page.locator('table.lines td.description', { hasText: 'Salamura Zeytin 1 kg' }).waitFor();
  // Once on the quote it is not suggested again.
  await suggestion.waitFor({ state: 'detached' });
  await context.close();
});

/** Invites a member (into `team`, made here) from the members page; returns the link. */
async function invite(page, role, team) {
  await page.goto(`${server.url}/settings/members`);
  await page.locator('#invite-role').waitFor();
  await page.locator('#team-name').fill(team);
  await page.getByRole('button', { name: 'Ekip ekle' }).click();
  await page.locator('#invite-team option', { hasText: team }).waitFor({ state: 'attached' });
  await page.locator('#invite-role').selectOption(role);
  await page.locator('#invite-team').selectOption({ label: team });
  await page.getByRole('button', { name: 'Davet et' }).click();
  const link = page.locator('#invitation-link');
  await link.waitFor();
  return (await link.textContent()).trim();
}

test("this month's performance, a goal set for the owner, and a rep who sees only the team's figures", async () => {
  const context = await phone(browser);
  const page = await openApp(context, server.url, '/today');
  await waitForSynced(page);
  await goToArea(page, 'Ekip performansı');
  await page.locator('#performance-report h1').waitFor();
  const figure = (name) => page.locator(`#performance-figures dd[data-figure="${name}"]`);
  // Two deals won this month (40.000 + 10.000 ₺), one lost, one open in proposal.
  await figure('won_revenue').filter({ hasText: '50.000' }).waitFor();
  assert.match(await figure('win_rate').textContent(), /%66/);
  assert.match(await figure('weighted_pipeline').textContent(), /4\.000/);
  // The lower median of 10 and 20 days.
  assert.equal((await figure('sales_cycle').textContent()).trim(), '10');
  assert.equal((await figure('goal').textContent()).trim(), '—');
  assert.ok((await page.locator('#won-by-rep rect.bar').count()) >= 1);
  // Stage conversion as stacked bars and NPS as a line, each with its table behind it.
  const stages = await page.locator('#stage-conversion tbody tr').count();
  assert.ok(stages >= 3);
  assert.equal(await page.locator('#stage-chart-table tbody tr').count(), stages);
  assert.equal(await page.locator('#stage-chart rect.bar.part-0').count(), stages);
  assert.equal(await page.locator('#nps-chart-table tbody tr').count(), 6);
  assert.equal(await page.locator('#nps-chart svg[role="img"]').count(), 1);
  await page.locator('#performance-reps tbody tr', { hasText: 'Ayşe Sahip' }).waitFor();
  // On a phone the panels stack: the won-revenue chart comes below the figures.
  const box = async (p, selector) => p.locator(selector).boundingBox();
  const [kpisPhone, wonPhone] = [await box(page, '#performance-kpis'), await box(page, '#won-by-rep')];
  assert.ok(wonPhone.y >= kpisPhone.y + kpisPhone.height - 1, 'stacked on a phone');
  // On a tablet it is a dashboard: the chart beside the figures, NPS beside stages.
  const tablet = await browser.newContext({ viewport: { width: 1180, height: 820 }, locale: 'tr-TR', hasTouch: true });
  const wide = await openApp(tablet, server.url, '/reports/performance');
  await waitForSynced(wide);
  await wide.locator('#won-by-rep rect.bar').first().waitFor();
  const [kpisWide, wonWide] = [await box(wide, '#performance-kpis'), await box(wide, '#won-by-rep')];
  assert.ok(wonWide.x >= kpisWide.x + kpisWide.width - 1, 'the chart beside the figures on a tablet');
  assert.ok(Math.abs(wonWide.y - kpisWide.y) < kpisWide.height, 'on the same row');
  const [stageWide, npsWide] = [await box(wide, '#stage-chart'), await box(wide, '#nps-chart')];
  assert.ok(npsWide.x > stageWide.x, 'NPS beside stage conversion');
  await tablet.close();

  // The owner sets a goal of 100.000 ₺ for this month: half of it is reached.
  const goal = page.getByLabel('Ayşe Sahip', { exact: true });
  await goal.fill('100000');
  await page.locator('#save-goals').click();
  await page.locator('#goals-saved').waitFor();
  await figure('goal').filter({ hasText: '%50,0' }).waitFor();
  // The rep and team table downloads with numbers a spreadsheet can add up.
  const table = (await download(page, '#performance-export-csv')).bytes.toString('utf8').split('\r\n');
  assert.ok(table.some((r) => r.startsWith('Ayşe Sahip,,50000,100000,50,2,1,66,')), table.join('\n'));

  // Chosen days: a past year has no wins; an end before the start is refused.
  await page.locator('#performance-period').selectOption('custom');
  await page.locator('#period-from').fill('2020-01-01');
  await page.locator('#period-from').dispatchEvent('change');
  await page.locator('#period-to').fill('2020-12-31');
  await page.locator('#period-to').dispatchEvent('change');
  await page.locator('#performance-dates', { hasText: '2020-01-01 – 2020-12-31' }).waitFor();
  assert.doesNotMatch(await figure('won_revenue').textContent(), /50\.000/);
  await page.locator('#period-to').fill('2019-12-31');
  await page.locator('#period-to').dispatchEvent('change');
  await page.locator('#period-problem', { hasText: 'başlamadan' }).waitFor();
  await page.locator('#performance-period').selectOption('month');
  await figure('won_revenue').filter({ hasText: '50.000' }).waitFor();

  // A rep of the Marmara team signs up: the owner's deals (shared by the workspace,
  // in no team) are on the rep's lists but are not the team's figures.
  const link = await invite(page, 'sales_rep', 'Marmara');
  const repContext = await phone(browser);
  const rep = await repContext.newPage();
  await rep.goto(link);
  await rep.locator('#invite-name').fill('Can Temsilci');
  await rep.locator('#invite-email').fill('can@anadolu.test');
  await rep.locator('#invite-password').fill('ikinci-parola-2026');
  await rep.getByRole('button', { name: 'Daveti kabul et' }).click();
  await rep.locator('#user-menu', { hasText: 'Can Temsilci' }).waitFor();
  await waitForSynced(rep);
  await rep.goto(server.url + '/reports/performance');
  await rep.locator('#performance-report h1').waitFor();
  const repWon = rep.locator('#performance-figures dd[data-figure="won_revenue"]');
  await repWon.waitFor();
  assert.doesNotMatch(await repWon.textContent(), /50\.000/);
  assert.equal(await rep.locator('#performance-reps tbody tr', { hasText: 'Ayşe Sahip' }).count(), 0);
  // Goals are the managers' to set.
  assert.equal(await rep.locator('#goals-editor').count(), 0);
  await repContext.close();
  await context.close();
});
