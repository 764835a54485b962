/**
 * The messages between the pane and its audit worker (engine.ts <-> auditWorker.ts). The grids
 * go over in the chunks they are read in (structured clone, no shared memory). The report comes
 * back without its holdings (tens of thousands of objects at a million rows), and the sheet
 * layouts, built in the worker, come back a slice of rows per message, so no single message
 * takes the pane's thread long to read. An error crosses as its name and message and is rebuilt as the same class, so the
 * pane explains a worker's AuditInputError exactly as it would one thrown on its own thread.
 */
import type { AuditOptions, AuditReport } from "../audit";
import { AuditInputError } from "../audit";
import { LicensingError } from "../licensing";
import type { Cell } from "../sheet";
import type { LayoutValue, SheetLayout } from "../report";

/** Layout rows per message from the worker: a few milliseconds of the pane's thread each. */
export const LAYOUT_ROWS_PER_MESSAGE = 4000;

export type SheetNames = Partial<Record<SheetLayout["role"], string>>;

export type ToWorker =
  /** A chunk of a grid, row after row in one flat list (one array to copy, not one per row). */
  | { kind: "rows"; which: "inventory" | "owned"; width: number; cells: Cell[] }
  | { kind: "audit"; options: Omit<AuditOptions, "owned"> }
  | { kind: "layouts"; names: SheetNames };

export interface SentError {
  name: string;
  message: string;
  code?: string;
}

export type FromWorker =
  | { kind: "report"; report: AuditReport }
  | { kind: "layout"; layout: SheetLayout } // values: [], then its rows follow
  | { kind: "layoutRows"; index: number; rows: LayoutValue[][] }
  | { kind: "layoutsDone" }
  | { kind: "failed"; error: SentError };

/** The report as the pane needs it: every figure, without the holdings lists. */
export function withoutHoldings(report: AuditReport): AuditReport {
  return {
    ...report,
    plan: { ...report.plan, holdings: [] },
    plans: report.plans.map((p) => ({ ...p, plan: { ...p.plan, holdings: [] } })),
  };
}

export function sendError(error: unknown): SentError {
  if (error instanceof LicensingError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

export function rebuildError(sent: SentError): Error {
  if (sent.name === "AuditInputError") return new AuditInputError(sent.message);
  if (sent.name === "LicensingError") return new LicensingError((sent.code ?? "#VALUE!") as LicensingError["code"], sent.message);
  const error = new Error(sent.message);
  error.name = sent.name;
  return error;
}
