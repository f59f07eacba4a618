#!/usr/bin/env node
// Prints, from the code registry (dist/diagnosis/registry.js; run `npm run build` first), how many
// finding codes have a real-server test and which codes give a reason instead, and which codes'
// fixes are verified on real servers (issue 11's counts).
import { readFileSync } from 'node:fs';
import { REGISTRY } from '../dist/diagnosis/registry.js';

const entries = Object.values(REGISTRY);
const tested = entries.filter((e) => Array.isArray(e.realTests) && e.realTests.length > 0);
const reasons = entries.filter((e) => typeof e.realTests === 'string');
console.log(`codes: ${entries.length}; with a real-server test: ${tested.length}; with a stated reason: ${reasons.length}`);
for (const e of tested) console.log(`  test    ${e.code}: ${e.realTests.join(', ')}`);
for (const e of reasons) console.log(`  reason  ${e.code}: ${e.realTests}`);

// Fix verification (test/real-fix-verification.test.ts): the codes whose own fix, applied to a real
// server's configuration, removes the finding, and the server kinds it was applied to.
const fixText = readFileSync(new URL('../test/real-fix-verification.test.ts', import.meta.url), 'utf8');
const fixed = new Map();
for (const m of fixText.matchAll(/kind: '(\w+)', scheme: '\w+',(?: via: '\w+',)?(?: path: '[^']*',)? code: '([\w-]+)'/g)) fixed.set(m[2], [...(fixed.get(m[2]) ?? []), m[1]]);
const kinds = new Set([...fixed.values()].flat());
console.log(`fix verification: ${fixed.size} codes across ${kinds.size} server kinds (${[...kinds].join(', ')})`);
for (const [code, ks] of [...fixed].sort()) console.log(`  fixed   ${code}: ${ks.join(', ')}`);
