/**
 * The pane's audit worker (dist/auditWorker.js): a thin face that keeps the pane's thread free
 * while the pure audit runs. It gathers the grid chunks as the pane reads them, runs runAudit on
 * "audit" and posts the report (without holdings), then builds the sheet layouts on "layouts"
 * and posts them a slice at a time. engine.ts starts and stops it.
 */
import { runAudit } from "../audit";
import type { AuditReport } from "../audit";
import { reportLayouts } from "../report";
import type { Cell } from "../sheet";
import { FromWorker, LAYOUT_ROWS_PER_MESSAGE, sendError, ToWorker, withoutHoldings } from "./workerProtocol";

const scope = self as unknown as { onmessage: ((event: MessageEvent<ToWorker>) => void) | null; postMessage(message: FromWorker): void };
const grids: Record<"inventory" | "owned", Cell[][]> = { inventory: [], owned: [] };
let report: AuditReport | null = null;

function answer(message: Exclude<ToWorker, { kind: "rows" }>): void {
  if (message.kind === "audit") {
    // The owned grid is the table read, even when empty; no owned sheet means none at all.
    const owned = message.options.ownedSheet !== undefined ? grids.owned : undefined;
    report = runAudit(grids.inventory, { ...message.options, owned });
    grids.inventory = [];
    grids.owned = [];
    scope.postMessage({ kind: "report", report: withoutHoldings(report) });
    return;
  }
  if (!report) throw new Error("layouts asked for before the audit ran");
  reportLayouts(report, { sheetNames: message.names }).forEach((layout, index) => {
    scope.postMessage({ kind: "layout", layout: { ...layout, values: [] } });
    for (let at = 0; at < layout.values.length; at += LAYOUT_ROWS_PER_MESSAGE) {
      scope.postMessage({ kind: "layoutRows", index, rows: layout.values.slice(at, at + LAYOUT_ROWS_PER_MESSAGE) });
    }
  });
  scope.postMessage({ kind: "layoutsDone" });
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.kind === "rows") {
    const { cells, width } = message;
    const grid = grids[message.which];
    for (let at = 0; at < cells.length; at += width) grid.push(cells.slice(at, at + width));
    return;
  }
  try {
    answer(message);
  } catch (error) {
    scope.postMessage({ kind: "failed", error: sendError(error) });
  }
};
