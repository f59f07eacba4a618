/**
 * Words for the upgrade/426 and proxy codes.
 */
import type { Code } from '../codes.js';
import type { Knowledge } from '../knowledge.js';

export const UPGRADE_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {};
