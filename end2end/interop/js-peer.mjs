// A stock automerge-repo peer (the npm packages, no Saha code) for the interop test:
//   node js-peer.mjs <ws://host/sync> <automerge:url of a document the Rust peer made>
// It finds the Rust peer's document, edits it, creates a document of its own, checks
// through a second, fresh repo that the server holds both, and prints one JSON line.
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

const [syncUrl, docUrl] = process.argv.slice(2);
if (!syncUrl || !docUrl) {
  console.error('usage: js-peer.mjs <sync url> <document url>');
  process.exit(2);
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
    const repo = new Repo({ network: [new WebSocketClientAdapter(syncUrl)] });
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

const repo = new Repo({ network: [new WebSocketClientAdapter(syncUrl)] });
const handle = await repo.find(docUrl);
const theirs = await until(handle, (d) => text(d.name).length > 0);
handle.change((d) => {
  d.city = 'Trabzon';
});
const mine = repo.create({ kind: 'account', schema: 1, name: 'Karadeniz Balıkçılık', city: 'Rize' });

await findFresh(docUrl, (d) => text(d.city) === 'Trabzon');
await findFresh(mine.url, (d) => text(d.name) === 'Karadeniz Balıkçılık');
console.log(JSON.stringify({ seenName: text(theirs.name), createdUrl: mine.url }));
repo.shutdown();
process.exit(0);
