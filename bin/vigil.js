#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (the package's prepare script).
import('../dist/src/cli/index.js').then((cli) => cli.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; },
);
