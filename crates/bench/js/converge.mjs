// Converges two replicas with @automerge/automerge's sync protocol, exactly as the Rust bench does:
// both documents and their saved sync states are loaded outside the timer; the timer covers the
// message exchange until neither side has anything to send. Prints JSON {ms, bytes, trips}.
// Usage: node converge.mjs DIR RUNS   (DIR holds a.automerge, b.automerge, sa.bin, sb.bin)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as A from "@automerge/automerge";

const [dir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const read = (name) => new Uint8Array(readFileSync(join(dir, name)));
const [aBytes, bBytes, saBytes, sbBytes] = ["a.automerge", "b.automerge", "sa.bin", "sb.bin"].map(read);

const times = [];
let bytes = 0;
let trips = 0;
for (let r = 0; r < runs; r++) {
  let a = A.load(aBytes);
  let b = A.load(bBytes);
  let sa = A.decodeSyncState(saBytes);
  let sb = A.decodeSyncState(sbBytes);
  bytes = 0;
  trips = 0;
  const start = performance.now();
  for (;;) {
    let sent = false;
    let msg;
    [sa, msg] = A.generateSyncMessage(a, sa);
    if (msg) { bytes += msg.length; [b, sb] = A.receiveSyncMessage(b, sb, msg); sent = true; }
    [sb, msg] = A.generateSyncMessage(b, sb);
    if (msg) { bytes += msg.length; [a, sa] = A.receiveSyncMessage(a, sa, msg); sent = true; }
    if (!sent) break;
    if (++trips > 50) throw new Error("sync did not settle in 50 round trips");
  }
  times.push(performance.now() - start);
  const ha = A.getHeads(a).sort().join(), hb = A.getHeads(b).sort().join();
  if (ha !== hb) throw new Error("the JS replicas did not converge");
}
times.sort((x, y) => x - y);
console.log(JSON.stringify({ ms: times[Math.floor(times.length / 2)], bytes, trips }));
