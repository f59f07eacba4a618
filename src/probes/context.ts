/**
 * What every probe gets: where to connect, its limits, and the clock origin of the diagnosis.
 */
import type net from 'node:net';
import type { ConnectOutcome, Target } from '../types.js';
import type { DiagnoseOptions } from '../diagnose.js';

export interface ProbeContext {
  target: Target;
  address: string;
  port: number;
  /** Per-probe deadline, milliseconds. */
  timeoutMs: number;
  /** Most bytes a probe reads. */
  byteBudget: number;
  /** PEM CA bundle (--cacert), replacing the default roots. */
  ca?: string;
  /** performance.now() when the diagnosis started; probe times are relative to it. */
  t0: number;
  userAgent: string;
  /** Every option of the diagnosis (method, headers, survey, proxy…), for stages that need them. */
  options: DiagnoseOptions;
  /**
   * Opens the TCP connection to the target (directly, or through a proxy tunnel). Probes call
   * this, never net.connect.
   */
  dial(address: string, port: number, timeoutMs: number): Promise<{ socket: net.Socket; outcome: ConnectOutcome }>;
}

export function probeId(ctx: ProbeContext, name: string): string {
  return `${ctx.address.includes(':') ? `[${ctx.address}]` : ctx.address}/${name}`;
}

/** The authority for requests: Host / :authority. */
export function authority(ctx: ProbeContext): string {
  const t = ctx.target;
  const h = t.host.includes(':') ? `[${t.host}]` : t.host;
  const dflt = t.tls ? 443 : 80;
  return t.port === dflt ? h : `${h}:${t.port}`;
}
