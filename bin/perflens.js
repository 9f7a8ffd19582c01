#!/usr/bin/env node
'use strict';
require('../out/src/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`perflens: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
