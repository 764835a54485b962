#!/usr/bin/env node
/**
 * npm run bench: builds the command line when it is missing or stale, then runs
 * bench/bench.ts (loaded through scripts/ts-hook.js, no extra package). Arguments pass
 * through: npm run bench -- --rows 200000 --engine-only
 */
"use strict";
const path = require("path");
const { ensureCli, root } = require("./ensure-cli");

if (!process.argv.includes("--engine-only") && !process.argv.includes("--iis-only")) ensureCli();

require("./ts-hook");
require(path.join(root, "bench", "bench.ts"))
  .main()
  .then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
