#!/usr/bin/env node
'use strict';
// A check is one short batch through a large, polymorphic analysis. By default V8 optimises a hot
// function after little feedback, then deoptimises it as each new shape of input arrives and
// compiles it again, on background threads that compete with the analysis for the cores. Asking
// for ~15× more feedback first halves those compiles: on SQLAlchemy + Django, 290 compiles taking
// 4.0 s of background CPU become 78 taking 0.9 s, and the run takes 13% less CPU (bench/python.js).
// Set before the engine loads, for this process only (the flag is V8's; workers share it).
require('v8').setFlagsFromString('--interrupt-budget=1000000');
require('../out/src/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`perflens: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
