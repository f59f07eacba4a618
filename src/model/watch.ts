/**
 * The watch's records (one NDJSON line each, every line with `schemaVersion`) and its summary:
 * what came and went, per resolver and address. Plain data: a history file replays into the same
 * summary (src/watch/summary.ts).
 */
import type { Code, Severity } from './codes.js';
import type { Verdict } from './report.js';

/** The resolver label of a run without `--dns-server`: the system's (getaddrinfo), a `--resolve` pin or an IP literal. */
export type ResolverLabel = string;

export interface WatchAddress {
  address: string;
  /** The resolvers whose answer held this address (`system`, `resolve-pin`, `literal`, or `ip:port` of a --dns-server). */
  resolvers: ResolverLabel[];
  verdict: Verdict;
  /** Address-level finding codes. */
  codes: Code[];
  protocol: 'h2' | 'h2c' | 'http/1.1' | null;
  alpn?: string | null;
  tlsVersion?: string;
  cipher?: string;
  /** TCP connect, TLS handshake and the whole HTTP/2 (or HTTP/1.1) exchange, in ms, when measured. */
  connectMs?: number;
  tlsMs?: number;
  exchangeMs?: number;
}

export interface WatchRun {
  schemaVersion: 1;
  type: 'run';
  url: string;
  /** Run number in the history, from 1; a resumed watch continues the count. */
  seq: number;
  /** When the run started (ISO 8601). */
  at: string;
  durationMs: number;
  verdict: Verdict;
  /** Every finding code of the run (address-level and report-level). */
  codes: Code[];
  addresses: WatchAddress[];
  /** With --dns-server: each resolver's answer. */
  resolvers?: Array<{ server: string; addresses: string[]; error?: string }>;
  /** The name did not resolve, or the run failed: why. */
  error?: string;
}

/** A history line that starts a watch session (written when a watch starts or resumes). */
export interface WatchStart {
  schemaVersion: 1;
  type: 'start';
  url: string;
  at: string;
  everyMs: number;
  tool: { name: 'h2doctor'; version: string };
}

export type HistoryLine = WatchRun | WatchStart;

/** One row of the time axis: an address as one resolver's answer. */
export interface Row {
  resolver: string;
  address: string;
}

export interface Flap extends Row {
  code: Code;
  severity: Severity;
  /** Runs of this row that had the code, out of the runs that probed it. */
  seen: number;
  of: number;
  /** Each time the code appeared or cleared (the run's start time and number). */
  changes: Array<{ at: string; seq: number; change: 'appeared' | 'cleared' }>;
  first: string;
  last: string;
}

export interface Steady extends Row {
  code: Code;
  severity: Severity;
  runs: number;
}

export interface WatchSummary {
  schemaVersion: 1;
  type: 'summary';
  url: string;
  runs: number;
  from?: string;
  to?: string;
  verdicts: Record<Verdict, number>;
  /** The worst verdict seen; the watch's exit code comes from it (fail → 1). */
  worst: Verdict;
  /** Codes that came and went on a row. */
  flaps: Flap[];
  /** Codes present on every run of a row. */
  steady: Steady[];
  /** Rows (resolver × address) and their verdict per run, oldest first: the timeline. */
  rows: Array<Row & { results: Array<{ seq: number; at: string; verdict: Verdict; codes: Code[] }> }>;
}

