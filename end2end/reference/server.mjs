// The reference server for benchmarks: automerge-repo's own sync server setup
// (as automerge-repo-sync-server does it) from the npm packages, no Saha code.
//   node reference/server.mjs <data dir>
// Listens on a free port on 127.0.0.1 and prints `reference listening on ws://…`.
import { Repo } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { WebSocketServer } from 'ws';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: server.mjs <data dir>');
  process.exit(2);
}
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024 });
// As in automerge-repo-sync-server: store everything, announce nothing unasked.
const repo = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: `reference-server-${process.pid}`,
  sharePolicy: async () => false,
});
// The adapter attaches its connection handler only once the repo has set up storage
// and network; announce the port after that, or the first peers go unanswered.
await new Promise((resolve) => (wss.address() ? resolve() : wss.once('listening', resolve)));
while (wss.listenerCount('connection') === 0) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const { port } = wss.address();
console.log(`reference listening on ws://127.0.0.1:${port}`);
process.on('SIGTERM', () => {
  repo.shutdown?.();
  wss.close();
  process.exit(0);
});
