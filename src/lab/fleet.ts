/**
 * A loopback fleet for scan tests and benchmarks: a few lab scenarios, each started once, reached
 * through many distinct loopback addresses (127.0.x.y, never 127.0.0.x) by TCP relays that keep
 * each scenario's behaviour (data, half-close, reset) and count the connections each address has
 * open at once, as the servers of a real fleet would see them.
 *
 * @example
 *   const fleet = await startFleet(100);
 *   // fleet.csv() is a scan target list; fleet.peakOpen tells the most connections an address had at once
 *   await fleet.stop();
 */
import net from 'node:net';
import type { Code } from '../model/codes.js';
import { createLabPki, type LabPki } from './pki.js';
import { findScenario } from './scenarios.js';
import type { RunningScenario } from './helpers.js';
import { listen, type Listening } from './servers.js';

/** Scenarios whose behaviour survives a TCP relay and that answer at once (no deliberate hang). */
export const FLEET_SCENARIOS = [
  'healthy-tls',
  'h2c-upgrade',
  'tls-alpn-no-h2',
  'tls-alpn-ignored',
  'cleartext-http1-only',
  'h2c-prior-knowledge-only',
  'http-to-tls-port',
  'goaway-on-connect',
  'preface-not-settings',
  'h2-no-streams',
  'h2-only-tls',
  'tls12-only',
  'tls13-only',
  'cert-hostname-mismatch',
  'cert-expired',
  'cert-self-signed',
  'upgrade-426-h2-plain',
] as const;

export interface FleetTarget {
  url: string;
  /** The pin that sends the target's name to its relay address. */
  resolve: string;
  address: string;
  scenario: string;
  expect: readonly Code[];
  allow: readonly Code[];
}

export interface Fleet {
  targets: FleetTarget[];
  /** The lab CA (PEM), for --cacert. */
  caPem: string;
  /** The targets as a scan list (CSV with url and resolve columns). */
  csv(): string;
  /** The most connections each relay address had open at once. */
  peakOpen: Map<string, number>;
  stop(): Promise<void>;
}

/** The i-th fleet address: 127.0.1.1, 127.0.1.2 … 127.0.1.250, 127.0.2.1 … */
export function fleetAddress(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/**
 * Starts `n` targets over the fleet scenarios (round robin). With `addresses`, the targets share
 * that many relay addresses (a politeness test: many targets, one host).
 */
export async function startFleet(n: number, o: { addresses?: number; scenarios?: readonly string[]; pki?: LabPki } = {}): Promise<Fleet> {
  const pki = o.pki ?? (await createLabPki());
  const ids = o.scenarios ?? FLEET_SCENARIOS;
  const running = new Map<string, RunningScenario>();
  const relays: Listening[] = [];
  const open = new Map<string, number>();
  const peakOpen = new Map<string, number>();
  const stopAll = async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all([...running.values()].map((r) => r.stop()));
  };
  try {
    await Promise.all(
      ids.map(async (id) => {
        const s = findScenario(id);
        if (!s) throw new Error(`no lab scenario ${id}`);
        running.set(id, await s.start({ pki }));
      }),
    );
    const targets: FleetTarget[] = [];
    const relayed = new Set<string>();
    for (let i = 0; i < n; i++) {
      const id = ids[i % ids.length]!;
      const s = findScenario(id)!;
      const r = running.get(id)!;
      const u = new URL(r.url);
      const port = Number(u.port);
      const address = fleetAddress(o.addresses ? i % o.addresses : i);
      if (!relayed.has(`${address}:${port}`)) {
        relayed.add(`${address}:${port}`);
        relays.push(await tcpRelay(address, port, port, { open, peak: peakOpen }));
      }
      targets.push({ url: r.url, resolve: `${u.hostname}:${port}:${address}`, address, scenario: id, expect: s.expect, allow: s.allow ?? [] });
    }
    return {
      targets,
      caPem: pki.rootCa.certPem,
      csv: () => `url,resolve,id\n${targets.map((t, i) => `${t.url},${t.resolve},t${i}-${t.scenario}`).join('\n')}\n`,
      peakOpen,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * A TCP relay on address:port to 127.0.0.1:toPort that keeps data, half-close and resets, and
 * counts the connections each address has open (`counts.open`, highest in `counts.peak`).
 */
export async function tcpRelay(address: string, port: number, toPort: number, counts: { open: Map<string, number>; peak: Map<string, number> } = { open: new Map(), peak: new Map() }): Promise<Listening> {
  const { open, peak } = counts;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const now = (open.get(address) ?? 0) + 1;
    open.set(address, now);
    peak.set(address, Math.max(peak.get(address) ?? 0, now));
    let counted = true;
    // The client's FIN or reset ends its connection as the server counts it.
    const done = () => {
      if (counted) {
        counted = false;
        open.set(address, (open.get(address) ?? 1) - 1);
      }
    };
    const upstream = net.connect({ host: '127.0.0.1', port: toPort, allowHalfOpen: true });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('end', done);
    client.on('close', () => {
      done();
      upstream.destroy();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.resetAndDestroy());
    upstream.on('close', (hadError) => {
      if (hadError && !client.destroyed) client.resetAndDestroy();
    });
  });
  return listen(server, address, port);
}
