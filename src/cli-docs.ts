/** Writes docs/cli.md from the option table: `node dist/src/cli-docs.js`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCliReference } from './cli-options.js';
import { projectRoot } from './paths.js';

writeFileSync(join(projectRoot, 'docs', 'cli.md'), `${renderCliReference()}\n`);
