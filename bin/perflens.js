#!/usr/bin/env node
'use strict';
// A check is one short batch through a large, polymorphic analysis. By default V8 optimises a hot
// function after little feedback, then deoptimises it as each new shape of input arrives and
// compiles it again, on background threads that compete with the analysis for the cores. Asking
// for ~7× more feedback first cuts those compiles: on SQLAlchemy + Django, 287 compiles taking
// 3.6 s of background CPU become 124 taking 1.5 s. Alternating runs (4 each, medians): SQLAlchemy +
// Django 4.85 → 4.55 s wall, 7.2 → 6.5 s user CPU; 50 generated 2,000-line .ts files 5.39 → 5.29 s.
// A larger budget helps Python more but leaves big TypeScript files in unoptimised code too long.
// Set before the engine loads, for this process only (the flag is V8's; workers share it).
require('v8').setFlagsFromString('--interrupt-budget=500000');
require('../out/src/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`perflens: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
