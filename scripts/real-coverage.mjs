#!/usr/bin/env node
// Prints, from the code registry (dist/diagnosis/registry.js; run `npm run build` first), how many
// finding codes have a real-server test and which codes give a reason instead (issue 11's counts).
import { REGISTRY } from '../dist/diagnosis/registry.js';

const entries = Object.values(REGISTRY);
const tested = entries.filter((e) => Array.isArray(e.realTests) && e.realTests.length > 0);
const reasons = entries.filter((e) => typeof e.realTests === 'string');
console.log(`codes: ${entries.length}; with a real-server test: ${tested.length}; with a stated reason: ${reasons.length}`);
for (const e of tested) console.log(`  test    ${e.code}: ${e.realTests.join(', ')}`);
for (const e of reasons) console.log(`  reason  ${e.code}: ${e.realTests}`);
