// REST API benchmark: a workspace of N accounts (seeded by saha-bench over the sync
// protocol), one token, and sequential requests timed end to end from this process:
//   node bench/rest.mjs --bench-bin BIN --count N [--database-url URL] [--out FILE.json]
// The server binary and site come from SAHA_SERVER_BIN / SAHA_SITE_ROOT (see helpers).
// Measures: a list page (limit 50, by title) at the start and deep in the list, a
// free-text search, reading one record, and creating one (a change through the hub).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BENCH_OWNER, startServer } from '../tests/helpers.mjs';

const { values } = parseArgs({
  options: {
    'bench-bin': { type: 'string' },
    count: { type: 'string', default: '10000' },
    out: { type: 'string' },
    samples: { type: 'string', default: '100' },
    // A PostgreSQL database (empty) instead of the embedded storage.
    'database-url': { type: 'string' },
  },
});
const count = Number(values.count);
const samples = Number(values.samples);

function summary(times) {
  const v = [...times].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.round((v.length - 1) * q))];
  return { n: v.length, p50: +at(0.5).toFixed(2), p99: +at(0.99).toFixed(2), max: +v[v.length - 1].toFixed(2) };
}

async function timed(times, f) {
  const started = performance.now();
  const result = await f();
  times.push(performance.now() - started);
  return result;
}

// The benchmark's own budget, far above what it uses.
const storage = values['database-url'] ? ['--database-url', values['database-url']] : [];
const server = await startServer(['--api-requests-per-second', '0', ...storage]);
const result = { count, samples, storage: storage.length ? 'postgres' : 'embedded' };
try {
  const seeded = spawnSync(values['bench-bin'], ['seed-saha', '--http', server.url, '--count', String(count)], {
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error('seeding failed');
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_OWNER),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const created = await fetch(`${server.url}/api/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: server.url },
    body: JSON.stringify({ name: 'bench', scopes: ['*:write'] }),
  });
  const { secret } = await created.json();
  const auth = { authorization: `Bearer ${secret}` };
  const get = async (path) => {
    const response = await fetch(`${server.url}${path}`, { headers: auth });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  const first = [];
  let page;
  for (let i = 0; i < samples; i++) page = await timed(first, () => get('/api/v1/accounts?limit=50'));
  result.list_first_page_ms = summary(first);
  // Walk 40 pages in; then time the page after it.
  let cursor = page.nextCursor;
  for (let i = 0; i < 40 && cursor; i++) cursor = (await get(`/api/v1/accounts?limit=50&cursor=${cursor}`)).nextCursor;
  const deep = [];
  for (let i = 0; i < samples; i++) await timed(deep, () => get(`/api/v1/accounts?limit=50&cursor=${cursor}`));
  result.list_deep_page_ms = summary(deep);
  const search = [];
  for (let i = 0; i < samples; i++) await timed(search, () => get('/api/v1/accounts?q=ist&limit=50'));
  result.search_ms = summary(search);
  const one = [];
  const id = page.data[0].id;
  for (let i = 0; i < samples; i++) await timed(one, () => get(`/api/v1/accounts/${id}`));
  result.get_ms = summary(one);
  const create = [];
  for (let i = 0; i < samples; i++) {
    await timed(create, async () => {
      const response = await fetch(`${server.url}/api/v1/accounts`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { name: `Bench ${i}`, city: 'İzmir' } }),
      });
      if (response.status !== 201) throw new Error(`create: ${response.status}`);
    });
  }
  result.create_ms = summary(create);
  console.log(JSON.stringify(result, null, 2));
  if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
} finally {
  await server.stop();
}
