/**
 * A deadline judges what had already arrived: when the event loop is busy past a deadline (a loaded
 * machine, a concurrent probe parsing a flood), bytes that reached the socket in time still count.
 * The lab-reproduce run that found it: a 4-scenario-wide test process under load 20 diagnosed a
 * server that answers the HTTP/2 preface at once as `preface-timeout`.
 */
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ByteSink, connectTcp } from './conn.js';
import { onDeadline } from './deadline.js';

/** Keep the event loop busy (the machine under load), synchronously. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* spin */
  }
}

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(onConn: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    onConn(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

/** A connected client socket (closed after each test, whatever happened). */
async function connected(port: number): Promise<net.Socket> {
  const { socket, outcome } = await connectTcp('127.0.0.1', port, 2000);
  sockets.push(socket);
  expect(outcome.ok).toBe(true);
  return socket;
}

describe('ByteSink.until past a deadline', () => {
  test('an answer that arrived while the loop was busy past the deadline counts', async () => {
    const port = await serve((s) => s.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const socket = await connected(port);
    const sink = new ByteSink(socket, 1 << 16);
    // Let the server's answer reach our socket during the busy spell, not before it.
    const waiting = sink.until((b) => b.length >= 12, performance.now() + 20);
    busy(200);
    expect(await waiting).toBe('open');
    expect(Buffer.from(sink.bytes()).toString('latin1')).toMatch(/^HTTP\/1\.1 400/);
    socket.destroy();
  });

  test('a server that sends nothing is still a timeout', async () => {
    const port = await serve(() => {});
    const socket = await connected(port);
    const sink = new ByteSink(socket, 1 << 16);
    expect(await sink.until((b) => b.length > 0, performance.now() + 30)).toBe('timeout');
    socket.destroy();
  });

  test('a server that keeps trickling cannot stretch a judged deadline', async () => {
    let timer: NodeJS.Timeout | undefined;
    const port = await serve((s) => {
      let n = 0;
      timer = setInterval(() => (n++ < 400 && !s.destroyed ? s.write('x') : clearInterval(timer)), 2);
    });
    const socket = await connected(port);
    const sink = new ByteSink(socket, 1 << 16);
    const deadline = performance.now() + 40;
    // A reader that takes one more byte per call, as a frame loop does, never reaches 400 bytes in time.
    let ends = 'open';
    let calls = 0;
    while (ends === 'open' && calls++ < 1000) ends = await sink.until((b) => b.length >= calls, deadline);
    expect(ends).toBe('timeout');
    expect(calls).toBeLessThan(400);
    clearInterval(timer);
    socket.destroy();
  });
});

describe('timers that decide an outcome', () => {
  test('a TCP connect that completed while the loop was busy is not a timeout', async () => {
    const port = await serve(() => {});
    const pending = connectTcp('127.0.0.1', port, 20);
    busy(200);
    const { socket, outcome } = await pending;
    expect(outcome.ok).toBe(true);
    socket.destroy();
  });

  test('onDeadline fires once the deadline passed, and not after cancel', async () => {
    const fired: string[] = [];
    onDeadline(performance.now() + 5, () => fired.push('a'));
    const cancel = onDeadline(performance.now() + 5, () => fired.push('b'));
    cancel();
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual(['a']);
  });
});
