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
 * Rows from which a worker is used. Below it the worker's start (55-70 ms) and warm-up cost
 * what it saves: reading the bench's inventory cut short took, with the name worker and
 * without, 0.25 against 0.20 s at 100,000 rows, 0.33 against 0.31 s at 200,000, 0.45
 * against 0.53 s at 400,000 and 0.69 against 0.94 s at 700,000.
 */
export const WORKER_MIN_ROWS = 400_000;
