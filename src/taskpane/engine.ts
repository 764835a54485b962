/**
 * The audit engine the pane hands to auditWorkbook: a Web Worker (auditWorker.js, beside the
 * pane) that runs the pure audit off the pane's thread, so the pane keeps painting, Cancel
 * answers at once and the CALS functions (same runtime) keep calculating. One worker per
 * audit, terminated when the audit ends or is cancelled. Where a Worker cannot be made or its
 * script does not run, the audit runs on the pane's thread as before (EngineUnavailable).
 */
import type { AuditOptions, AuditReport } from "../audit";
import { AuditEngine, EngineUnavailable } from "../excel";
import type { Cell } from "../sheet";
import type { SheetLayout } from "../report";
import { FromWorker, rebuildError, SheetNames, ToWorker } from "./workerProtocol";

export const WORKER_SCRIPT = "auditWorker.js";

/** A worker engine, or null where this page cannot start a Worker at all. */
export function workerEngine(script: string = WORKER_SCRIPT): AuditEngine | null {
  if (typeof Worker !== "function") return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL(script, document.baseURI));
  } catch {
    return null;
  }
  let unavailable: string | null = null;
  // The one request in flight: the report, or the layouts being gathered.
  let waiting: { resolve: (value: never) => void; reject: (e: Error) => void } | null = null;
  let layouts: SheetLayout[] = [];
  const ask = <T>(message: ToWorker) =>
    new Promise<T>((resolve, reject) => {
      if (unavailable) return reject(new EngineUnavailable(unavailable));
      waiting = { resolve: resolve as (value: never) => void, reject };
      worker.postMessage(message);
    });
  const settle = (value: unknown, error?: Error) => {
    const w = waiting;
    waiting = null;
    if (error) w?.reject(error);
    else w?.resolve(value as never);
  };
  worker.onerror = (event) => {
    // The script did not load or run (blocked, missing, out of memory): run the audit here instead.
    event.preventDefault();
    unavailable = event.message || "the audit worker did not run";
    settle(undefined, new EngineUnavailable(unavailable));
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (message.kind === "report") settle(message.report);
    else if (message.kind === "layout") layouts.push(message.layout);
    else if (message.kind === "layoutRows") {
      const values = layouts[message.index].values;
      for (const row of message.rows) values.push(row);
    } else if (message.kind === "layoutsDone") settle(layouts);
    else settle(undefined, rebuildError(message.error));
  };
  return {
    rows: (which: "inventory" | "owned", rows: Cell[][]) => {
      if (unavailable || rows.length === 0) return;
      const width = rows[0].length;
      const cells: Cell[] = [];
      for (const row of rows) for (let c = 0; c < width; c++) cells.push(row[c]);
      worker.postMessage({ kind: "rows", which, width, cells } satisfies ToWorker);
    },
    audit: (options: Omit<AuditOptions, "owned">) => ask<AuditReport>({ kind: "audit", options }),
    layouts: (names: SheetNames) => {
      layouts = [];
      return ask<SheetLayout[]>({ kind: "layouts", names });
    },
    stop: () => worker.terminate(),
  };
}
