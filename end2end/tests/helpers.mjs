// Shared helpers for the end-to-end tests: a real saha-server on port 0 with a fresh
// data directory, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
const serverBin = process.env.SAHA_SERVER_BIN ?? join(root, 'target/debug/saha-server');
const siteRoot = process.env.SAHA_SITE_ROOT ?? join(root, 'target/site');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts saha-server on a free port (with `extraArgs`); resolves to { url, stop }. */
export async function startServer(extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'saha-e2e-'));
  const args = ['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--site-root', siteRoot, ...extraArgs];
  const child = spawn(serverBin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    dataDir,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A phone-sized context (390×844) in the given locale. */
export async function phone(browser, locale = 'tr-TR') {
  return browser.newContext({ viewport: { width: 390, height: 844 }, locale, isMobile: true, hasTouch: true });
}

/** The workspace owner every test server is set up with (see `setUp`). */
export const OWNER = { email: 'sahip@anadolu.test', password: 'güçlü-parola-2026' };
/** The owner `saha-bench seed-saha` sets a fresh server up with. */
export const BENCH_OWNER = { email: 'bench@saha.test', password: 'bench-password-1' };

/** Creates the first workspace and its owner through the first-run API. */
export async function setUp(url, owner = OWNER) {
  const response = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspaceName: 'Anadolu', name: 'Ayşe Sahip', ...owner }),
  });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
}

/** Logs a browser context in (the session cookie lands in the context's cookie jar). */
export async function signIn(context, url, who = OWNER) {
  const response = await context.request.post(`${url}/api/auth/login`, { data: who });
  if (!response.ok()) throw new Error(`login failed: ${response.status()} ${await response.text()}`);
}

/** Collects Content-Security-Policy violations a page reports. */
export function watchCsp(page) {
  const violations = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return violations;
}

/**
 * Opens the app signed in as `who` (`null`: as nobody) and waits until it is rendered
 * from the local store.
 */
export async function openApp(context, url, path = '/accounts', who = OWNER) {
  if (who) await signIn(context, url, who);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  if (process.env.SAHA_E2E_CONSOLE) page.on('console', (m) => console.error(`[console] ${m.text()}`));
  page.cspViolations = watchCsp(page);
  await page.goto(url + path);
  await page.locator('header.topbar').waitFor();
  return page;
}

/**
 * Waits until the sync badge says synced. On a timeout the error names the state the
 * badge was in, so a stuck sync and a slow one can be told apart.
 */
export async function waitForSynced(page, timeout = 15_000) {
  try {
    await page.locator('output.sync[data-sync="synced"]').waitFor({ timeout });
  } catch (error) {
    const badge = page.locator('output.sync');
    const state = await badge
      .evaluate((e) => `data-sync=${e.dataset.sync} incoming=${e.dataset.incoming} text=${e.textContent.trim()}`)
      .catch(() => 'no sync badge');
    throw new Error(`not synced after ${timeout} ms (${state}): ${error.message}`);
  }
}

/**
 * Waits until the page has every record the server holds: synced, nothing incoming and
 * the list showing cards (for the benchmarks' big workspaces). Returns the most records
 * the progress indicator showed arriving at once.
 */
export async function waitForFullSync(page, minutes) {
  let maxIncoming = 0;
  const deadline = Date.now() + minutes * 60_000;
  for (;;) {
    const badge = page.locator('output.sync');
    const state = await badge.getAttribute('data-sync');
    const incoming = Number(await badge.getAttribute('data-incoming'));
    maxIncoming = Math.max(maxIncoming, incoming);
    const listed = await page.evaluate(() => document.querySelectorAll('.card').length);
    if (state === 'synced' && incoming === 0 && listed > 0) return maxIncoming;
    if (Date.now() > deadline) throw new Error(`not synced after ${minutes} min (state ${state}, incoming ${incoming})`);
    await page.waitForTimeout(50);
  }
}

/** Waits until the service worker controls the page (the shell and bundle are cached). */
export async function waitForOfflineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 15_000 });
}

/** Fills and submits the account form that is on the page. */
export async function fillAccount(page, fields) {
  const ids = { name: 'account-name', phone: 'account-phone', email: 'account-email', city: 'account-city', notes: 'account-notes' };
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'type') {
      await page.locator('#account-type').selectOption(value);
    } else {
      await page.locator(`#${ids[key]}`).fill(value);
    }
  }
  await page.getByRole('button', { name: /Kaydet|Save/ }).click();
}

/**
 * Goes to an area of the app as a member would: on a tablet or desktop through the side
 * rail; on a phone through the bottom tab bar, or its menu (two taps at most).
 */
export async function goToArea(page, name) {
  if (await page.locator('nav.rail').isVisible()) {
    await page.locator('nav.rail a', { hasText: name }).first().click();
    return;
  }
  const tab = page.locator('nav.tabs a', { hasText: name });
  if (await tab.count()) {
    await tab.first().click();
    return;
  }
  await page.locator('nav.tabs a[href="/menu"]').click();
  await page.locator('nav.menu a', { hasText: name }).first().click();
}

export async function createAccount(page, fields) {
  const newAccount = page.getByRole('link', { name: /Yeni müşteri|New account/ });
  if (!(await newAccount.count())) await goToArea(page, /Müşteriler|Accounts/);
  await newAccount.click();
  await page.locator('#account-name').waitFor();
  await fillAccount(page, fields);
  await page.locator('article.detail h1', { hasText: fields.name }).waitFor();
}
