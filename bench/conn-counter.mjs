// A transparent TCP relay that counts connections, so a benchmark can say how many connections
// each tool opened. Usage: node conn-counter.mjs <listen-port> <target-port> <count-file>
// Loopback only. Runs until killed; the count file always holds the total so far.
import net from 'node:net';
import { writeFileSync } from 'node:fs';

const [listenPort, targetPort, file] = process.argv.slice(2);
let count = 0;
writeFileSync(file, '0');
net
  .createServer((a) => {
    count++;
    writeFileSync(file, String(count));
    const b = net.connect({ host: '127.0.0.1', port: Number(targetPort) });
    a.pipe(b).pipe(a);
    const end = () => (a.destroy(), b.destroy());
    a.on('error', end).on('close', end);
    b.on('error', end).on('close', end);
  })
  .listen(Number(listenPort), '127.0.0.1', () => process.stdout.write('ready\n'));
