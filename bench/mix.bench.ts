/**
 * CALS.MIX over two whole columns, as `=CALS.MIX(A:A, B:B)` passes them: 1,048,576 rows each,
 * the first 500 filled with pairs (some people on two devices, a shared kiosk), the rest blank.
 * Excel passes blank cells in a range as "" (null is timed too). Times the function as the
 * bundle calls it (src/functions), median of several runs after a warm-up.
 *
 * Run: node -r ./scripts/ts-hook.js bench/mix.bench.ts [--runs 9]
 */
/* global console, process */
import { performance } from "perf_hooks";

const ROWS = 1_048_576;
const FILLED = 500;

// The functions module expects Excel's CustomFunctions global.
(globalThis as Record<string, unknown>).CustomFunctions = {
  Error: class extends Error {
    constructor(
      readonly code: string,
      message?: string,
    ) {
      super(message);
    }
  },
  ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A" },
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mix } = require("../src/functions/functions") as { mix: (u: unknown[][], d: unknown[][]) => number[][] };

function columns(blank: "" | null): [unknown[][], unknown[][]] {
  const users: unknown[][] = new Array(ROWS);
  const devices: unknown[][] = new Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    if (r < FILLED) {
      const person = Math.floor(r / 2);
      users[r] = [`user${person}@contoso.com`];
      devices[r] = [r % 10 === 9 ? "KIOSK-1" : `PC-${r}`];
    } else {
      users[r] = [blank];
      devices[r] = [blank];
    }
  }
  return [users, devices];
}

export function main(): void {
  const at = process.argv.indexOf("--runs");
  const runs = at > 0 ? Number(process.argv[at + 1]) : 9;
  for (const blank of ["", null] as const) {
    const [users, devices] = columns(blank);
    mix(users, devices); // warm-up
    const times: number[] = [];
    let answer: number[][] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      answer = mix(users, devices);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(
      `CALS.MIX(A:A, B:B), ${ROWS.toLocaleString("en")} rows, ${FILLED} filled, blanks as ${JSON.stringify(blank)}: ` +
        `median ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}; ${runs} runs) -> ${JSON.stringify(answer)}`,
    );
  }
}

if (require.main === module) main();
