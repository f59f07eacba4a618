/**
 * Reproduce commands that reproduce, for the lab (issue 11 item 3): every lab scenario is started,
 * diagnosed (with the lab root as --cacert, as a user would give it), and while it still runs every
 * reproduce command of every finding runs: each finishes within its own deadline, names no
 * placeholder, carries the user's options, and the first one shows the finding's symptom in the real
 * tool's words (test/reproduce-helpers.ts, SYMPTOM). The real-server scenarios get the same in
 * test/real-coverage.test.ts and test/real-wrong-answers.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import { runScenario } from '../src/lab/run.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { limiter } from '../src/util/limit.js';
import { checkReproduce } from './reproduce-helpers.js';

// A scenario whose server never answers waits out each reproduce command's own deadline.
vi.setConfig({ testTimeout: 120_000 });

let pki: LabPki;
let caFile: string;
beforeAll(async () => {
  pki = await createLabPki();
  caFile = join(mkdtempSync(join(tmpdir(), 'h2d-lab-repro-')), 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
});

const slot = limiter(4);
const ran = new Map<string, number>();

describe('every reproduce command of every lab scenario runs and shows the symptom', () => {
  for (const s of ALL_SCENARIOS) {
    test.concurrent(s.id, () =>
      slot(async () => {
        let failed: unknown;
        const r = await runScenario(s, pki, {
          caFile,
          during: async (report) => {
            try {
              ran.set(s.id, await checkReproduce(report, caFile));
            } catch (e) {
              failed = e;
            }
          },
        });
        if (failed) throw failed;
        // Which codes a scenario gets is test/lab.test.ts's assertion; here, that the diagnosis ran.
        expect(r.report, r.problems.join('; ')).toBeDefined();
        if (r.found.length) expect(ran.get(s.id), `${s.id}: no reproduce command ran`).toBeGreaterThan(0);
      }),
    );
  }
});
