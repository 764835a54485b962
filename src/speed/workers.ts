/**
 * Worker threads for the core, where the host has them (the command passes Node's,
 * src/cli/workers.ts; the pane passes none). Two jobs use one, each only for a big
 * inventory: numbering users and devices beside the row loop (nameThread.ts), and solving
 * the mixed plan's min cut away from the main thread's heap (coverThread.ts). Either way
 * the report is the same as on one thread.
 */

/** Starts code on another thread: how is the host's business. */
export interface WorkerHost {
  /** Runs `source`, a CommonJS script that finds `data` as require("worker_threads").workerData. */
  start(source: string, data: SharedArrayBuffer): { stop(): void };
}

/**
 * Rows from which a worker is used. Below it the worker's start and warm-up cost what it
 * saves (the measurements: docs/performance.md).
 */
export const WORKER_MIN_ROWS = 400_000;

/** A worker's states, kept in its shared buffer's STATE slot. */
export const WORKER_STATES = {
  /** Not started yet; started and claimed the work; the main thread took the work; failed; stopped. */
  STARTING: 0,
  RUNNING: 1,
  ABANDONED: 2,
  FAILED: 3,
  STOPPED: 4,
};

/**
 * A worker's whole program: serve(kit(), views, header, data), for data its shared buffer
 * (views: the function that lays typed arrays over it).
 * The three functions must use nothing from outside themselves: they are sent as source
 * text. If any of it throws before serve has claimed the work (say the code was
 * instrumented by a coverage tool, with counters the worker lacks), the worker gives the
 * work back (STARTING -> ABANDONED) and wakes the main thread, waiting on header.WAKE.
 */
export function workerProgram(
  serve: (...args: never[]) => unknown,
  kit: () => unknown,
  views: (...args: never[]) => unknown,
  header: { STATE: number; WAKE: number },
): string {
  const s = WORKER_STATES;
  return (
    `"use strict";\n` +
    `const data = require("worker_threads").workerData;\n` +
    `try {\n` +
    `  (${serve.toString()})((${kit.toString()})(), (${views.toString()}), ${JSON.stringify(header)}, data);\n` +
    `} catch (e) {\n` +
    `  const slots = new Int32Array(data, 0, ${Math.max(header.STATE, header.WAKE) + 1});\n` +
    `  Atomics.compareExchange(slots, ${header.STATE}, ${s.STARTING}, ${s.ABANDONED});\n` +
    `  Atomics.notify(slots, ${header.STATE});\n` +
    `  Atomics.notify(slots, ${header.WAKE});\n` +
    `}\n`
  );
}
