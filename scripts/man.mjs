// Writes docs/h2doctor.1 from the command table (run after npm run build): npm run man
import { writeFileSync } from 'node:fs';
import { manPage } from '../dist/cli/completion.js';
writeFileSync(new URL('../docs/h2doctor.1', import.meta.url), manPage());
