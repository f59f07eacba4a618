/** What a probe stage is (see index.ts), apart from the list of stages, so stages can name it. */
import type { Probe } from '../../model/index.js';
import type { ProbeContext } from '../context.js';

/**
 * Runs one more probe under the diagnosis's connection bound, counting it; `why` goes in its `connection` note (default: its purpose).
 * @example const p = await go(() => probeH1Request(ctx, 'http10', { version: '1.0' }), 'HTTP/1.0 answer')
 */
export type Go = (probe: () => Promise<Probe>, why?: string) => Promise<Probe>;

/**
 * A stage of probes run after the core ones, from what they showed.
 * @example const stage: ProbeStage = { name: 'upgrade', run: async (ctx, core, go) => [await go(() => probeWebSocket(ctx, { path: '/', trigger: 'option' }))] }
 */
export interface ProbeStage {
  name: string;
  /**
   * Early stages start on a TLS target as soon as the default handshake is over: `core` then holds
   * the TCP and `tls-default` probes, and `later` resolves to the HTTP probes when they are in.
   */
  early?: boolean;
  run(ctx: ProbeContext, core: readonly Probe[], go: Go, later?: Promise<readonly Probe[]>): Promise<Probe[]>;
}
