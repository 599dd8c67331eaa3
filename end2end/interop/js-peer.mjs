// A stock automerge-repo peer (the npm packages, no Saha code) for the interop test:
//   node js-peer.mjs <http://host> <session cookie> <automerge:url of a document the Rust peer made>
// Each connection gets its own single-use sync ticket (POST /api/sync/ticket), the way
// any automerge-repo client is given access to Saha: by URL.
// It finds the Rust peer's document, edits it, creates a document of its own, checks
// through a second, fresh repo that the server holds both, and prints one JSON line.
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

const [httpBase, cookie, docUrl] = process.argv.slice(2);
if (!httpBase || !cookie || !docUrl) {
  console.error('usage: js-peer.mjs <http base url> <session cookie> <document url>');
  process.exit(2);
}

/** A fresh ticketed WebSocket URL. */
async function syncUrl() {
  const response = await fetch(`${httpBase}/api/sync/ticket`, { method: 'POST', headers: { cookie } });
  if (!response.ok) throw new Error(`no ticket: ${response.status}`);
  return (await response.json()).url;
}
setTimeout(() => {
  console.error('js-peer: timed out');
  process.exit(3);
}, 30_000).unref();

// Saha writes single-line fields as scalar strings, which JS Automerge shows as
// ImmutableString objects; `text()` reads either form.
const text = (value) => (value == null ? '' : String(value));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function until(handle, predicate) {
  return new Promise((resolve) => {
    const check = () => {
      const doc = handle.doc();
      if (doc && predicate(doc)) {
        handle.off('change', check);
        resolve(doc);
      }
    };
    handle.on('change', check);
    check();
  });
}

// Finds a document through a fresh repo, retrying while the server does not have it yet.
async function findFresh(url, predicate) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const repo = new Repo({ network: [new WebSocketClientAdapter(await syncUrl())] });
    try {
      const handle = await repo.find(url);
      const doc = await until(handle, predicate);
      repo.shutdown();
      return doc;
    } catch (_) {
      repo.shutdown();
      await sleep(200);
    }
  }
  throw new Error(`the server never served ${url}`);
}

const repo = new Repo({ network: [new WebSocketClientAdapter(await syncUrl())] });
const handle = await repo.find(docUrl);
const theirs = await until(handle, (d) => text(d.name).length > 0);
handle.change((d) => {
  d.city = 'Trabzon';
});
const mine = repo.create({ kind: 'account', schema: 1, name: 'Karadeniz Balıkçılık', city: 'Rize' });
// Plain JS numbers: @automerge/automerge stores `0` and `1` as floats.
const meeting = repo.create({
  kind: 'meeting',
  schema: 1,
  title: 'Liman ziyareti',
  calendar: 'dept:sales',
  start: '2026-12-08T09:00',
  end: '2026-12-08T10:00',
  sequence: 0,
});

await findFresh(docUrl, (d) => text(d.city) === 'Trabzon');
await findFresh(mine.url, (d) => text(d.name) === 'Karadeniz Balıkçılık');
await findFresh(meeting.url, (d) => text(d.title) === 'Liman ziyareti');
console.log(JSON.stringify({ seenName: text(theirs.name), createdUrl: mine.url, meetingUrl: meeting.url }));
repo.shutdown();
process.exit(0);
