/**
 * `h2doctor scan <file|->`: a fleet of targets, politely, on this machine or on a BullMQ queue.
 * `h2doctor worker --queue redis://…`: diagnoses queued targets, anywhere.
 *
 * @example
 *   h2doctor scan targets.txt --out results.ndjson
 *   h2doctor scan targets.csv --queue redis://127.0.0.1:6379 --vantages eu,us --out results.ndjson
 *   h2doctor worker --queue redis://127.0.0.1:6379 --vantage eu
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv, type Parsed } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, intFlag, widthOf } from '../connect.js';
import type { DiagnoseOptions } from '../../diagnose.js';
import { parseTargetList, type ScanTarget } from '../../scan/targets.js';
import { runScan, SCAN_DEFAULTS, type ScanResult } from '../../scan/run.js';
import type { PolitenessOptions } from '../../scan/gate.js';
import { slimResult, summarize } from '../../scan/summary.js';
import { CSV_HEADER, csvRow, ndjson, readResults } from '../../scan/output.js';
import { progressLine, renderSummary } from '../../scan/render.js';

/**
 * The connection options of every target (curl's flags), and the politeness limits. Each target
 * gets its own --max-time: the CLI's one run-wide deadline does not apply to a fleet.
 */
async function scanOptions(p: Parsed, io: CliIO): Promise<{ diagnose: DiagnoseOptions; politeness: Partial<PolitenessOptions> }> {
  const d = await connectionOptions(p, io);
  delete d.deadline;
  const politeness: Partial<PolitenessOptions> = {};
  const ph = intFlag('--per-host', p.str('per-host'), 1, 1000);
  if (ph !== undefined) politeness.perAddress = ph;
  const pr = intFlag('--per-host-rate', p.str('per-host-rate'), 1, 100_000);
  if (pr !== undefined) politeness.ratePerSecond = pr;
  return { diagnose: d, politeness };
}

/** Calls `f` on Ctrl-C / SIGTERM; returns the function that stops listening. */
function onInterrupt(f: () => void): () => void {
  process.on('SIGINT', f);
  process.on('SIGTERM', f);
  return () => {
    process.off('SIGINT', f);
    process.off('SIGTERM', f);
  };
}

async function readList(arg: string, io: CliIO): Promise<ScanTarget[]> {
  if (arg === '-') {
    if (io.stdinIsTTY) throw new UsageError('scan -: nothing on standard input (pipe a target list in)');
    return parseTargetList(await io.readStdin(), 'stdin');
  }
  const path = resolvePath(io.cwd, arg);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UsageError(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // 2 M targets of ~100 bytes: a larger file is split into several lists.
  if (size > 256 * 1024 * 1024) throw new UsageError(`${arg}: ${size} bytes; target lists are at most 256 MiB`);
  return parseTargetList(readFileSync(path, 'utf8'), arg);
}

/** Every client profile a target names exists: a bad name is a bad list (exit 2), before any connection. */
async function checkClients(targets: readonly ScanTarget[], cwd: string): Promise<void> {
  const named = targets.filter((t) => t.client);
  if (!named.length) return;
  const { findProfile } = await import('../../clients/load.js');
  const seen = new Set<string>();
  for (const t of named) {
    if (seen.has(t.client!)) continue;
    seen.add(t.client!);
    try {
      findProfile(t.client!, cwd);
    } catch (e) {
      throw new UsageError(`${t.source}: client ${JSON.stringify(t.client)}: ${(e as Error).message}`);
    }
  }
}

export async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('scan');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const positionals = p.positionals;
  const values = { out: p.str('out'), resume: p.bool('resume'), csv: p.str('csv'), html: p.str('html'), json: p.bool('json'), concurrency: p.str('concurrency'), queue: p.str('queue'), vantages: p.str('vantages'), 'scan-id': p.str('scan-id'), 'no-progress': p.bool('no-progress') };
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one target list at a time, got ${positionals.length}` : 'no target list given (try: h2doctor scan targets.txt)');
  if (values.resume && (!values.out || values.out === '-')) throw new UsageError('--resume needs --out <file>');
  if (values.vantages !== undefined && values.queue === undefined) throw new UsageError('--vantages goes with --queue (each vantage point is a worker label)');
  if (values['scan-id'] !== undefined && values.queue === undefined) throw new UsageError('--scan-id goes with --queue');
  const { diagnose, politeness } = await scanOptions(p, io);
  const concurrency = intFlag('--concurrency', values.concurrency, 1, 10_000) ?? SCAN_DEFAULTS.concurrency;
  const targets = await readList(positionals[0]!, io);
  await checkClients(targets, io.cwd);

  const { outPath, previous, results, write } = await openOutputs(values, io);

  const ac = new AbortController();
  const stopListening = onInterrupt(() => ac.abort());
  const t0 = performance.now();
  const showProgress = !values['no-progress'];
  let lastPlain = 0;
  let failing = previous.filter((r) => r.error || r.report?.verdict === 'fail').length;
  let done = 0;
  // What is still to do: set before the first result (the queue counts each target once per vantage point).
  const work = { todo: targets, expected: 0 };
  const total = () => (values.queue ? work.expected : work.todo.length);
  const progress = (final = false) => {
    if (!showProgress) return;
    const pr = { done, total: total(), failing, elapsedMs: performance.now() - t0 };
    if (io.stderrIsTTY) io.stderr(`\r\x1b[K${progressLine(pr, widthOf(io))}${final ? '\n' : ''}`);
    else if (final || performance.now() - lastPlain > 5000) {
      lastPlain = performance.now();
      io.stderr(`scan: ${progressLine(pr)}\n`);
    }
  };
  const onResult = (r: ScanResult) => {
    done++;
    if (r.error || r.report?.verdict === 'fail') failing++;
    write(r);
    progress();
  };

  try {
    if (values.queue !== undefined) {
      await runOnQueue(values.queue, { targets, previous, work, out: values.out, vantages: values.vantages, scanId: values['scan-id'], showProgress, io }, diagnose, { onResult, signal: ac.signal, onTick: () => progress() });
    } else {
      const have = new Set(previous.map((r) => r.key));
      work.todo = targets.filter((t) => !have.has(t.key));
      await runScan(work.todo, { concurrency, politeness, diagnose, signal: ac.signal }, onResult);
    }
  } finally {
    stopListening();
  }
  progress(true);
  const summary = summarize(results);
  for (const c of summary.comparisons) {
    if (outPath) appendFileSync(outPath, ndjson(c));
    else if (values.out === '-') io.stdout(ndjson(c));
  }
  const elapsedMs = performance.now() - t0;
  const text = values.json ? JSON.stringify({ schemaVersion: 1, ...summary, elapsedMs: Math.round(elapsedMs), interrupted: ac.signal.aborted }, null, 2) + '\n' : renderSummary(summary, { elapsedMs, width: widthOf(io) });
  if (values.out === '-') io.stderr(text);
  else io.stdout(text);
  if (values.html !== undefined) {
    const [{ renderScanHtml }, { writeHtmlFile }] = await Promise.all([import('../../report/html.js'), import('./diagnose.js')]);
    writeHtmlFile(resolvePath(io.cwd, values.html), values.html, renderScanHtml({ ...summary, elapsedMs }));
  }
  if (ac.signal.aborted) io.stderr(`scan interrupted: ${done} of ${total()} done${outPath ? `; go on with --resume --out ${values.out}` : ''}\n`);
  return summary.verdict === 'fail' ? EXIT.fail : EXIT.ok;
}

export async function workerCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('worker');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const positionals = p.positionals;
  const values = { queue: p.str('queue'), vantage: p.str('vantage'), concurrency: p.str('concurrency'), 'lock-ms': p.str('lock-ms'), verbose: p.bool('verbose') };
  if (positionals.length) throw new UsageError(`worker takes no arguments, got ${positionals.join(' ')}`);
  if (values.queue === undefined) throw new UsageError('worker needs --queue redis://host:port');
  const { diagnose, politeness } = await scanOptions(p, io);
  const { startWorker, WORKER_DEFAULTS } = await import('../../scan/queue.js');
  const concurrency = intFlag('--concurrency', values.concurrency, 1, 10_000) ?? WORKER_DEFAULTS.concurrency;
  const lockMs = intFlag('--lock-ms', values['lock-ms'], 200, 3_600_000) ?? WORKER_DEFAULTS.lockMs;
  let n = 0;
  const w = await startWorker(
    { url: values.queue },
    {
      ...(values.vantage !== undefined ? { vantage: values.vantage } : {}),
      concurrency,
      lockMs,
      diagnose,
      politeness,
      onResult: (r) => {
        n++;
        if (values.verbose) io.stderr(`${r.key} → ${r.error ? `error: ${r.error}` : r.report!.verdict}\n`);
      },
    },
  );
  io.stderr(`worker ${w.id}: vantage '${values.vantage ?? 'default'}', ${concurrency} at once, on ${values.queue}\n`);
  await new Promise<void>((resolve) => {
    const stop = onInterrupt(() => {
      stop();
      resolve();
    });
  });
  await w.close();
  io.stderr(`worker ${w.id}: stopped after ${n} job(s)\n`);
  return EXIT.ok;
}

/**
 * --queue: each target once per vantage point as jobs on the queue (those already in --out left
 * out), then their results as workers post them. Sets `work` before the first result.
 */
async function runOnQueue(
  queue: string,
  o: { targets: ScanTarget[]; previous: ScanResult[]; work: { todo: ScanTarget[]; expected: number }; out: string | undefined; vantages: string | undefined; scanId: string | undefined; showProgress: boolean; io: CliIO },
  diagnose: DiagnoseOptions,
  collect: { onResult: (r: ScanResult) => void; signal: AbortSignal; onTick: () => void },
): Promise<void> {
  const { checkLabel, collectResults, enqueueScan, resultId, DEFAULT_VANTAGE } = await import('../../scan/queue.js');
  const vantages = (o.vantages ?? DEFAULT_VANTAGE).split(',').map((s: string) => checkLabel('vantage label', s.trim()));
  if (new Set(vantages).size !== vantages.length) throw new UsageError('--vantages names a label twice');
  const scanId = checkLabel('scan id', o.scanId ?? createHash('sha1').update(JSON.stringify([o.targets.map((t) => t.key), vantages])).digest('hex').slice(0, 12));
  const have = new Set(o.previous.map((r) => resultId(r.key, r.vantage)));
  const expected = new Set(o.targets.flatMap((t) => vantages.map((v) => resultId(t.key, v))).filter((id) => !have.has(id)));
  o.work.expected = expected.size;
  o.work.todo = o.targets.filter((t) => vantages.some((v) => expected.has(resultId(t.key, v))));
  if (o.showProgress) o.io.stderr(`scan ${scanId}: ${expected.size} jobs on ${queue} for ${vantages.map((v) => `'${v}'`).join(', ')} workers${have.size ? ` (${have.size} already in ${o.out})` : ''}\n`);
  if (o.work.todo.length) {
    await enqueueScan({ url: queue }, scanId, o.work.todo, vantages, { ...(diagnose.timeoutMs ? { timeoutMs: diagnose.timeoutMs } : {}), ...(diagnose.ca ? { ca: diagnose.ca } : {}) });
    await collectResults({ url: queue }, scanId, expected, collect);
  }
}

/**
 * Where results go: --out (NDJSON, '-' for standard output; with --resume, the results already
 * there are read back and kept) and --csv. `write` adds one result to each and to `results`.
 */
async function openOutputs(
  values: { out: string | undefined; csv: string | undefined; resume: boolean },
  io: CliIO,
): Promise<{ outPath: string | undefined; previous: ScanResult[]; results: ScanResult[]; write: (r: ScanResult) => void }> {
  const outPath = values.out && values.out !== '-' ? resolvePath(io.cwd, values.out) : undefined;
  const csvPath = values.csv ? resolvePath(io.cwd, values.csv) : undefined;
  const previous = outPath && values.resume ? await readResults(outPath) : [];
  if (outPath && !values.resume) writeFileSync(outPath, '');
  if (csvPath && !(values.resume && previous.length)) writeFileSync(csvPath, CSV_HEADER);
  const results: ScanResult[] = previous.map(slimResult);
  const write = (r: ScanResult) => {
    results.push(slimResult(r));
    if (outPath) appendFileSync(outPath, ndjson(r));
    else if (values.out === '-') io.stdout(ndjson(r));
    if (csvPath) appendFileSync(csvPath, csvRow(r));
  };
  return { outPath, previous, results, write };
}
