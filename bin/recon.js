#!/usr/bin/env node
// Entry point of the `recon` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm install` through the prepare script).
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
