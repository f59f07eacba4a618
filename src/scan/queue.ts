/**
 * Distributed fleet scans on a BullMQ queue (Redis or Valkey): `scan --queue` puts one job per
 * target and vantage point on the queue and reads the results back from a Redis stream;
 * `worker --queue` diagnoses jobs anywhere. BullMQ gives the guarantees: a job whose worker dies
 * is put back after its lock expires (stalled-job recovery), a failing job is retried with
 * backoff, and a job id is added once. Results are written to the stream before a job completes,
 * so a worker killed after writing repeats the work, never loses it; the reader keeps one result
 * per (target, vantage point).
 *
 * @example
 *   const w = await startWorker({ url: 'redis://127.0.0.1:6379' }, { vantage: 'eu' });
 *   // … later
 *   await w.close();
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { DiagnoseOptions } from '../diagnose.js';
import { UsageError } from '../model/errors.js';
import { politeGate, POLITE_DEFAULTS, type PolitenessOptions } from './gate.js';
import { scanOne, type ScanResult } from './run.js';
import type { ScanTarget } from './targets.js';

export interface QueueConfig {
  /** redis://[user:pass@]host:port[/db] or rediss://… */
  url: string;
}

/** The diagnosis options a job carries (plain data: they travel through Redis). */
export type JobOptions = Pick<DiagnoseOptions, 'timeoutMs' | 'maxAddresses' | 'ca' | 'byteBudget'>;

interface JobData {
  scanId: string;
  vantage: string;
  target: ScanTarget;
  options: JobOptions;
}

export const DEFAULT_VANTAGE = 'default';
const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a vantage label or scan id: letters, digits, `_`, `.`, `-` (they name queues and keys). */
export function checkLabel(kind: string, s: string): string {
  if (!NAME_RE.test(s)) throw new UsageError(`invalid ${kind} ${JSON.stringify(s)} (letters, digits, _ . - ; at most 64)`);
  return s;
}

export const queueName = (vantage: string) => `h2doctor-scan-${vantage}`;
const streamKey = (scanId: string) => `h2doctor:results:${scanId}`;
/** One job per (scan, target, vantage): adding it twice (a resumed scan) adds it once. */
export const jobId = (scanId: string, vantage: string, key: string) => `${scanId}.${vantage}.${createHash('sha1').update(key).digest('hex').slice(0, 20)}`;

/** A Redis connection from the URL; a bad URL is a usage error. */
export function redisFrom(cfg: QueueConfig): Redis {
  let u: URL;
  try {
    u = new URL(cfg.url);
  } catch {
    throw new UsageError(`--queue: not a URL: ${JSON.stringify(cfg.url)} (redis://host:port)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--queue: ${JSON.stringify(cfg.url)} is not a redis:// or rediss:// URL`);
  // BullMQ's blocking calls need maxRetriesPerRequest: null.
  return new Redis(cfg.url, { maxRetriesPerRequest: null, lazyConnect: false });
}

const JOB_ATTEMPTS = 3;

/** Puts every (target, vantage) on the queues. Returns the keys of the results to expect. */
export async function enqueueScan(cfg: QueueConfig, scanId: string, targets: readonly ScanTarget[], vantages: readonly string[], options: JobOptions): Promise<void> {
  const conn = redisFrom(cfg);
  try {
    for (const vantage of vantages) {
      const q = new Queue<JobData>(queueName(vantage), { connection: conn });
      for (let i = 0; i < targets.length; i += 500) {
        await q.addBulk(
          targets.slice(i, i + 500).map((target) => ({
            name: 'diagnose',
            data: { scanId, vantage, target, options },
            opts: { jobId: jobId(scanId, vantage, target.key), attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 },
          })),
        );
      }
      await q.close();
    }
  } finally {
    conn.disconnect();
  }
}

export interface CollectOptions {
  /** Called for each new (target, vantage) result. */
  onResult(r: ScanResult): void | Promise<void>;
  /** Keys `key\0vantage` already had (resume): skipped when they arrive again. */
  have?: Set<string>;
  signal?: AbortSignal;
  /** Called about once a second while waiting. */
  onTick?(): void;
}

export const resultId = (key: string, vantage: string | undefined) => `${key}\u0000${vantage ?? DEFAULT_VANTAGE}`;

/**
 * Reads results from the scan's stream until every expected (target, vantage) has one. Jobs that
 * failed for good (every attempt, or stalled too often) become error results, so the scan ends.
 */
export async function collectResults(cfg: QueueConfig, scanId: string, expected: Set<string>, o: CollectOptions): Promise<void> {
  const conn = redisFrom(cfg);
  const vantages = [...new Set([...expected].map((e) => e.split('\u0000')[1]!))];
  const queues = vantages.map((v) => new Queue<JobData>(queueName(v), { connection: conn }));
  const seen = o.have ?? new Set<string>();
  let lastId = '0';
  let lastFailedCheck = 0;
  const emit = async (r: ScanResult) => {
    const id = resultId(r.key, r.vantage);
    if (!expected.has(id) || seen.has(id)) return;
    seen.add(id);
    await o.onResult(r);
  };
  const pending = () => [...expected].some((e) => !seen.has(e));
  try {
    while (pending() && !o.signal?.aborted) {
      const res = (await conn.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', streamKey(scanId), lastId)) as Array<[string, Array<[string, string[]]>]> | null;
      const read: string[] = [];
      for (const [, entries] of res ?? []) {
        for (const [id, fields] of entries) {
          lastId = id;
          read.push(id);
          const i = fields.indexOf('r');
          if (i >= 0) await emit(JSON.parse(fields[i + 1]!) as ScanResult);
        }
      }
      // What is written to the output is no longer needed in Redis.
      if (read.length) await conn.xdel(streamKey(scanId), ...read);
      o.onTick?.();
      if (Date.now() - lastFailedCheck > 2000) {
        lastFailedCheck = Date.now();
        for (const q of queues) {
          for (const job of await q.getFailed(0, 999)) {
            if (!job?.data || job.data.scanId !== scanId) continue;
            await emit({ schemaVersion: 1, type: 'result', key: job.data.target.key, url: job.data.target.url, vantage: job.data.vantage, finishedAt: new Date().toISOString(), error: `job failed after ${job.attemptsMade} attempt(s): ${job.failedReason}` });
          }
        }
      }
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    conn.disconnect();
  }
}

export interface WorkerOptions {
  vantage?: string;
  /** Jobs diagnosed at once (default 16). */
  concurrency?: number;
  /** The worker's own diagnosis options (its `--resolve` view of the world, CA…), over the job's. */
  diagnose?: DiagnoseOptions;
  politeness?: Partial<PolitenessOptions>;
  /** How long a job's lock lives without renewal: a dead worker's jobs come back after it (default 30 s). */
  lockMs?: number;
  /** Called with each result written. */
  onResult?(r: ScanResult): void;
}

export const WORKER_DEFAULTS = { concurrency: 16, lockMs: 30_000 } as const;

/** Starts a worker; it runs until `close()`. */
export async function startWorker(cfg: QueueConfig, o: WorkerOptions = {}): Promise<{ close(): Promise<void>; id: string }> {
  const vantage = checkLabel('vantage label', o.vantage ?? DEFAULT_VANTAGE);
  const id = `${hostname()}:${process.pid}`;
  const out = redisFrom(cfg);
  const politeness = { ...POLITE_DEFAULTS, ...o.politeness };
  const gate = politeGate(politeness);
  const lockMs = o.lockMs ?? WORKER_DEFAULTS.lockMs;
  const worker = new Worker<JobData>(
    queueName(vantage),
    async (job: Job<JobData>) => {
      const { target, options, scanId } = job.data;
      const base: DiagnoseOptions = { concurrency: politeness.perAddress, ...options, ...o.diagnose, connectionGate: gate };
      const r = await scanOne(target, base, { vantage, worker: id });
      await out.xadd(streamKey(scanId), '*', 'r', JSON.stringify(r));
      o.onResult?.(r);
      return { ok: true };
    },
    {
      connection: redisFrom(cfg),
      concurrency: o.concurrency ?? WORKER_DEFAULTS.concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      maxStalledCount: 3,
      autorun: true,
    },
  );
  await worker.waitUntilReady();
  return {
    id,
    close: async () => {
      await worker.close();
      out.disconnect();
    },
  };
}
