/**
 * A profile from what the capture server recorded: the TLS connection (hello, ALPN, HTTP/2
 * opening) and, when there was one, the cleartext connection. Pure.
 */
import { h2Opening } from '../wire/http2/fingerprint.js';
import type { CaptureRecord } from '../lab/capture.js';
import { PROFILE_SCHEMA_VERSION, tlsFromHello, type ClientPolicy, type ClientProfile } from './profile.js';

export interface ProfileMeta {
  id: string;
  client: ClientProfile['client'];
  /** ISO date of the capture (YYYY-MM-DD). */
  date: string;
  with: string;
  command?: string;
  policy?: Partial<ClientPolicy>;
}

/**
 * Build a profile. Throws Error when there is nothing to build from (no hello and no cleartext request).
 *
 * @example
 * profileFromCapture({ id: 'curl', client: { name: 'curl', version: '7.88.1' }, date: '2026-12-03', with: 'h2doctor capture-client' }, tlsRec, clearRec);
 */
export function profileFromCapture(meta: ProfileMeta, tlsRec?: CaptureRecord, clearRec?: CaptureRecord): ClientProfile {
  if (!tlsRec?.hello && !clearRec?.cleartext) throw new Error('nothing captured: no ClientHello and no cleartext request');
  const t = tlsRec?.hello ? tlsFromHello(tlsRec.hello.message, tlsRec.hello.recordVersion) : undefined;
  const h2 = tlsRec?.h2 ? h2Opening(tlsRec.h2.frames, tlsRec.h2.headerNames) : null;
  const cleartext = clearRec?.cleartext;
  const policy: ClientPolicy = {
    kind: 'unknown',
    cleartext: 'http1',
    needsH2: false,
    refusesBlocklistedCipher: false,
    ...meta.policy,
  };
  // What the client did on a cleartext connection is a fact of the capture: it wins over a stated policy.
  if (cleartext) policy.cleartext = cleartext === 'prior-knowledge' ? 'h2c-prior-knowledge' : cleartext === 'upgrade' ? 'h2c-upgrade' : 'http1';
  const p: ClientProfile = {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    id: meta.id,
    client: meta.client,
    captured: { date: meta.date, with: meta.with, ...(meta.command ? { command: meta.command } : {}) },
    policy,
    tls: t?.tls ?? null,
    h2,
    ja4: t?.ja4 ?? null,
    ja4Raw: t?.ja4Raw ?? null,
  };
  if (cleartext) p.h2c = { mode: cleartext, ...(clearRec?.h2 ? { opening: h2Opening(clearRec.h2.frames, clearRec.h2.headerNames) } : {}) };
  return p;
}
