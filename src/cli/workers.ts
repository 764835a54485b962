/**
 * Node's worker threads, for the core's jobs on big inventories (AuditOptions.workers; see
 * src/speed/workers.ts): numbering users and devices, and solving the mixed plan's min cut.
 * The core only hands over source text and a shared buffer, so it stays free of Node.
 */
import { Worker } from "worker_threads";
import type { WorkerHost } from "../speed";

export const nodeWorkers: WorkerHost = {
  start(source, data) {
    // execArgv: none of the command's own (a preloaded script, say) is the worker's business.
    const worker = new Worker(source, { eval: true, workerData: data, execArgv: [] });
    // Never what keeps the command running; a failure is reported through the shared
    // buffer to the row loop, which is blocked and would not see this event in time.
    worker.unref();
    worker.on("error", () => undefined);
    return { stop: () => void worker.terminate() };
  },
};
