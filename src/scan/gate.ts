/**
 * Politeness for fleet scans: per address, at most `perAddress` connections open at once and at
 * most `ratePerSecond` new connections a second, whatever number of targets share the address.
 * A diagnosis takes a slot before each connection and gives it back when the socket closes
 * (`DiagnoseOptions.connectionGate`).
 *
 * @example
 *   const gate = politeGate({ perAddress: 2, ratePerSecond: 10 });
 *   const release = await gate('127.0.0.1', 443); // … connect, use, close …
 *   release();
 */
import type { ConnectionGate } from '../diagnose.js';

export interface PolitenessOptions {
  /** Most connections open at once to one address (all ports together). */
  perAddress: number;
  /** Most new connections a second to one address. */
  ratePerSecond: number;
}

/** Gentle defaults, documented in docs/scan.md: 4 connections at once, 20 new a second, per address. */
export const POLITE_DEFAULTS: PolitenessOptions = { perAddress: 4, ratePerSecond: 20 };

const RELEASE_DELAY_MS = 10;

interface Slot {
  open: number;
  /** Earliest time (ms, monotonic) the next connection may start. */
  next: number;
  waiting: Array<() => void>;
  timer?: ReturnType<typeof setTimeout>;
}

/** Observed peak per address: what a test asserts against the limit. */
export interface GateStats {
  peakOpen: Map<string, number>;
  opened: number;
}

export function politeGate(o: PolitenessOptions, stats?: GateStats): ConnectionGate {
  const perAddress = Math.max(1, Math.floor(o.perAddress));
  const spacing = o.ratePerSecond > 0 ? 1000 / o.ratePerSecond : 0;
  const slots = new Map<string, Slot>();

  const pump = (addr: string, s: Slot) => {
    while (s.waiting.length && s.open < perAddress) {
      const now = performance.now();
      if (now < s.next) {
        if (!s.timer) {
          s.timer = setTimeout(() => {
            s.timer = undefined;
            pump(addr, s);
          }, Math.ceil(s.next - now));
        }
        return;
      }
      s.open++;
      s.next = Math.max(now, s.next) + spacing;
      if (stats) {
        stats.opened++;
        stats.peakOpen.set(addr, Math.max(stats.peakOpen.get(addr) ?? 0, s.open));
      }
      s.waiting.shift()!();
    }
    if (s.open === 0 && s.waiting.length === 0 && !s.timer && performance.now() >= s.next) slots.delete(addr);
  };

  return (address) =>
    new Promise<() => void>((resolve) => {
      let s = slots.get(address);
      if (!s) {
        s = { open: 0, next: 0, waiting: [] };
        slots.set(address, s);
      }
      const slot = s;
      slot.waiting.push(() =>
        resolve(() => {
          // Given back a moment after the socket closed, so that the server has seen the close
          // before the next connection arrives: "at once" as the server counts it.
          setTimeout(() => {
            slot.open--;
            pump(address, slot);
          }, RELEASE_DELAY_MS);
        }),
      );
      pump(address, slot);
    });
}
