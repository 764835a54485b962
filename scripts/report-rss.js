/** Preloaded (-r) into a child by bench/bench.ts where /usr/bin/time is missing: prints peak RSS on exit. */
"use strict";
process.on("exit", () => {
  process.stderr.write(`cals-bench maxRSS kB: ${process.resourceUsage().maxRSS}\n`);
});
