// What real clients print for a finding code, from corpus/clients.json: one line per (client,
// headline), the host and port of the recording replaced by {host} and {port}. For the "clients
// print" lines of findings (issue 11).
//
//   node corpus/lines.mjs cert-expired            # text
//   node corpus/lines.mjs cert-expired --json     # [{ client, clientVersion, scenario, server, mode, line }]
import { readFileSync } from 'node:fs';
import { withHostMarkers as subst } from './hosts.mjs';

const [code, fmt] = process.argv.slice(2);
if (!code) {
  console.error('usage: node corpus/lines.mjs <finding-code> [--json]');
  process.exit(2);
}
const corpus = JSON.parse(readFileSync(new URL('./clients.json', import.meta.url), 'utf8'));
const seen = new Set();
const out = [];
for (const r of corpus.records) {
  if (r.expect[0] !== code || r.text.includes('\n')) continue;
  const line = subst(r.text);
  const key = `${r.client}\u0000${line}`;
  if (seen.has(key)) continue;
  seen.add(key);
  out.push({ client: r.client, clientVersion: r.clientVersion, scenario: r.scenario, server: r.server, mode: r.mode, line });
}
if (fmt === '--json') console.log(JSON.stringify(out, null, 1));
else for (const x of out) console.log(`${x.client.padEnd(20)} ${x.line}`);
