/**
 * The HTTP/2 opening of a client, as data and as the "Akamai" fingerprint string
 * (`SETTINGS|WINDOW_UPDATE|PRIORITY|pseudo-header order`, e.g. `1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p`).
 * Pure: frames the client sent (in order, up to its first HEADERS) and that HEADERS' decoded field names in.
 *
 * @example
 * h2Fingerprint(opening).akamai; // '2:0;4:4194304;6:262144|1073741824|0|m,p,s,a'
 */
import type { Frame } from './frame-types.js';

/** What a client sends first on an HTTP/2 connection. */
export interface H2Opening {
  /** Its first SETTINGS, in wire order. */
  settings: Array<{ id: number; value: number }>;
  /** The connection-level WINDOW_UPDATE increment sent before the first HEADERS; null when none. */
  windowUpdate: number | null;
  /** PRIORITY frames before the first HEADERS: stream, exclusive, dependency, weight (wire value + 1). */
  priority: Array<{ streamId: number; exclusive: boolean; dependsOn: number; weight: number }>;
  /** The priority fields of the first HEADERS, when it carries them. */
  headersPriority?: { exclusive: boolean; dependsOn: number; weight: number };
  /** Pseudo-header fields of the first request, in order (':method', ':authority', …). */
  pseudoHeaderOrder: string[];
  /** Regular header names of the first request, in order. */
  headerOrder: string[];
  /** The Akamai-style fingerprint string. */
  akamai: string;
}

/**
 * Summarise the frames a client sent before (and including) its first HEADERS.
 *
 * @example
 * h2Opening(frames, [':method', ':path', ':scheme', ':authority', 'user-agent']);
 */
export function h2Opening(frames: readonly Frame[], headerNames: readonly string[]): H2Opening {
  const settings: H2Opening['settings'] = [];
  let windowUpdate: number | null = null;
  const priority: H2Opening['priority'] = [];
  let headersPriority: H2Opening['headersPriority'];
  let sawSettings = false;
  for (const f of frames) {
    if (f.kind === 'SETTINGS' && !f.ack && !sawSettings) {
      sawSettings = true;
      for (const s of f.settings) settings.push({ id: s.id, value: s.value });
    } else if (f.kind === 'WINDOW_UPDATE' && f.streamId === 0 && windowUpdate === null) {
      windowUpdate = f.windowSizeIncrement;
    } else if (f.kind === 'PRIORITY') {
      // RFC 9113 §5.3.2 / RFC 7540 §6.3: weight on the wire is one less than the weight.
      priority.push({ streamId: f.streamId, exclusive: f.exclusive, dependsOn: f.streamDependency, weight: f.weight + 1 });
    } else if (f.kind === 'HEADERS') {
      if (f.priority) headersPriority = { exclusive: f.priority.exclusive, dependsOn: f.priority.streamDependency, weight: f.priority.weight + 1 };
      break;
    }
  }
  const pseudo = headerNames.filter((n) => n.startsWith(':'));
  const regular = headerNames.filter((n) => !n.startsWith(':'));
  const akamai = [
    settings.map((s) => `${s.id}:${s.value}`).join(';'),
    String(windowUpdate ?? 0),
    priority.length ? priority.map((p) => `${p.streamId}:${p.exclusive ? 1 : 0}:${p.dependsOn}:${p.weight}`).join(',') : '0',
    pseudo.map((n) => n[1] ?? '').join(','),
  ].join('|');
  return { settings, windowUpdate, priority, ...(headersPriority ? { headersPriority } : {}), pseudoHeaderOrder: pseudo, headerOrder: regular, akamai };
}
