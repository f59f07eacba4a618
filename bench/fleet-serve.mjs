// A loopback fleet in its own process (bench/scan.bench.mjs): `node bench/fleet-serve.mjs N DIR`
// writes DIR/fleet.csv and DIR/ca.pem, prints "ready", and serves until SIGTERM.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFleet } from '../dist/lab/fleet.js';

const [n, dir] = [Number(process.argv[2]), process.argv[3]];
const fleet = await startFleet(n);
writeFileSync(join(dir, 'fleet.csv'), fleet.csv());
writeFileSync(join(dir, 'ca.pem'), fleet.caPem);
writeFileSync(join(dir, 'targets.json'), JSON.stringify(fleet.targets));
process.stdout.write('ready\n');
const stop = async () => {
  await fleet.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
