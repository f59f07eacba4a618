/** What a probe stage is (see index.ts), apart from the list of stages, so stages can name it. */
import type { Probe } from '../../model/index.js';
import type { ProbeContext } from '../context.js';

/** Runs one more probe under the diagnosis's connection bound, counting it. */
export type Go = (probe: () => Promise<Probe>) => Promise<Probe>;

export interface ProbeStage {
  name: string;
  run(ctx: ProbeContext, core: readonly Probe[], go: Go): Promise<Probe[]>;
}
