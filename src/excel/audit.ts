import type { OrgWideSettings } from "../licensing";
/**
 * "Audit sheet", start to end: read the inventory (and the owned licences) in chunks, run the
 * pure audit, write the report sheets. The pane calls this and shows what it returns.
 */
import { runAudit } from "../audit";
import type { AuditOptions, AuditReport, PriceInput } from "../audit";
import type { Cell } from "../sheet";
import { reportLayouts, SHEET_NAMES } from "../report";
import type { SheetLayout } from "../report";
import { CancelledError, Step, WorkbookError } from "./errors";
import type { ExcelHost } from "./host";
import { readSheet, SheetGrid } from "./read";
import { PANE_SETTING, PaneSettings } from "./workbook";
import { ReportPlan, writeReport, WriteResult } from "./write";

interface AuditRequest {
  inventorySheet: string;
  /** "" or undefined = no owned-licences sheet. */
  ownedSheet?: string;
  mode?: string;
  defaultVersion?: string;
  /** The audit date, YYYY-MM-DD; empty = today. */
  asOf?: string;
  prices?: PriceInput;
  orgWide?: OrgWideSettings;
  /** The pane's settings as typed, saved in the workbook with the report. */
  paneSettings?: PaneSettings;
}

/**
 * Where the pure audit runs when not on this thread: the pane's Web Worker (src/taskpane/engine.ts).
 * It is given each chunk of the grids as it is read, then the options; `stop` ends it at once.
 * A report promise that rejects with EngineUnavailable means the engine could not run at all:
 * the audit then runs here, on the grid read, as it would without an engine.
 */
export interface AuditEngine {
  rows(which: "inventory" | "owned", rows: Cell[][]): void;
  /** The report, without the holdings (plan.holdings and each plan's): they reach the sheet through layouts(). */
  audit(options: Omit<AuditOptions, "owned">): Promise<AuditReport>;
  /** The report's sheet layouts for these names, built where the report is. */
  layouts(names: Parameters<ReportPlan["build"]>[0]): Promise<SheetLayout[]>;
  stop(): void;
}

/**
 * Read chunks aim at 1 MB, not 3, when an engine audits: each chunk's response is read and
 * handed to the worker on the pane's thread, and a third of the size keeps that task short.
 */
const ENGINE_CHUNK_BYTES = 1024 * 1024;

/** The engine could not start or run (no Worker, blocked script): not an error in the audit. */
export class EngineUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineUnavailable";
  }
}

export interface AuditProgress {
  step: Step;
  done: number;
  total: number;
}

interface AuditRunOptions {
  onProgress?: (p: AuditProgress) => void;
  signal?: { aborted: boolean };
  /** For tests: a fixed time and run id. */
  now?: Date;
  /** Runs the audit off this thread (the pane's worker); without one, or if it cannot run, runAudit here. */
  engine?: AuditEngine;
  runId?: string;
}

interface AuditOutcome {
  report: AuditReport;
  written: WriteResult;
  inventory: Pick<SheetGrid, "sheet" | "chunks" | "chunkBytes" | "syncs" | "firstRow" | "firstColumn">;
  owned: Pick<SheetGrid, "sheet" | "chunks" | "syncs"> | null;
}

/** Thrown with the step it failed in, so the pane can say where. */
export class StepError extends Error {
  constructor(
    readonly step: Step,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "StepError";
  }
}

async function step<T>(name: Step, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new StepError(name, e);
  }
}

/** The report's sheets and their layouts, once the writer knows which names are free. */
function reportPlan(report: AuditReport, engine?: AuditEngine): ReportPlan {
  const wanted: ReportPlan["wanted"] = [
    { role: "summary", name: SHEET_NAMES.summary },
    { role: "assignments", name: SHEET_NAMES.assignments },
  ];
  if (report.problems.length) wanted.push({ role: "problems", name: SHEET_NAMES.problems });
  return { wanted, build: (sheetNames) => (engine ? engine.layouts(sheetNames) : reportLayouts(report, { sheetNames })) };
}

export async function auditWorkbook(host: ExcelHost, request: AuditRequest, options: AuditRunOptions = {}): Promise<AuditOutcome> {
  try {
    return await auditSteps(host, request, options);
  } finally {
    options.engine?.stop();
  }
}

async function auditSteps(host: ExcelHost, request: AuditRequest, options: AuditRunOptions): Promise<AuditOutcome> {
  const { onProgress, signal, engine } = options;
  const checkCancel = () => {
    if (signal?.aborted) throw new StepError("read", new CancelledError());
  };
  const inventory = await step("read", () =>
    readSheet(host, request.inventorySheet, {
      signal,
      onProgress: (done, total) => onProgress?.({ step: "read", done, total }),
      onChunk: engine && ((rows) => engine.rows("inventory", rows)),
      chunkBytes: engine ? ENGINE_CHUNK_BYTES : undefined,
    }),
  );
  if (inventory.grid.length === 0) {
    throw new StepError(
      "read",
      new WorkbookError(`Sheet "${inventory.sheet}" is empty. Pick the sheet that holds the inventory, or click Insert sample inventory to try the add-in.`),
    );
  }
  const ownedName = request.ownedSheet || "";
  const owned = ownedName ? await step("read", () => readSheet(host, ownedName, { signal, onChunk: engine && ((rows) => engine.rows("owned", rows)) })) : null;
  checkCancel();

  onProgress?.({ step: "audit", done: 0, total: inventory.grid.length });
  const auditOptions: Omit<AuditOptions, "owned"> = {
    sheet: inventory.sheet,
    firstRow: inventory.firstRow,
    firstColumn: inventory.firstColumn,
    ownedSheet: owned?.sheet,
    ownedFirstRow: owned?.firstRow,
    ownedFirstColumn: owned?.firstColumn,
    mode: request.mode || "auto",
    defaultVersion: request.defaultVersion || undefined,
    asOf: request.asOf || undefined,
    prices: request.prices,
    orgWide: request.orgWide,
    now: options.now,
  };
  const here = async () => {
    // Let the pane paint "Auditing…" before the (synchronous) audit takes the thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return runAudit(inventory.grid, { ...auditOptions, owned: owned?.grid });
  };
  // The engine that holds the report, when one ran it (it then builds the layouts too).
  let ran: AuditEngine | undefined;
  const report = await step("audit", async () => {
    if (!engine) return here();
    try {
      const answer = await untilCancelled(engine.audit(auditOptions), signal);
      ran = engine;
      return answer;
    } catch (e) {
      if (e instanceof EngineUnavailable) return here();
      throw e;
    }
  });
  checkCancel();

  const keep = [inventory.sheet, ...(owned ? [owned.sheet] : [])];
  const settings = request.paneSettings ? { [PANE_SETTING]: request.paneSettings } : undefined;
  const written = await step("write", () =>
    writeReport(host, reportPlan(report, ran), {
      keep,
      settings,
      signal,
      runId: options.runId,
      onProgress: (done, total) => onProgress?.({ step: "write", done, total }),
    }),
  );
  const pick = (g: SheetGrid) => ({
    sheet: g.sheet,
    chunks: g.chunks,
    chunkBytes: g.chunkBytes,
    syncs: g.syncs,
    firstRow: g.firstRow,
    firstColumn: g.firstColumn,
  });
  return { report, written, inventory: pick(inventory), owned: owned ? pick(owned) : null };
}

/** The promise's answer, or CancelledError as soon as the signal is raised (checked every 50 ms). */
function untilCancelled<T>(work: Promise<T>, signal?: { aborted: boolean }): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setInterval(() => {
      if (signal.aborted) {
        clearInterval(timer);
        reject(new CancelledError());
      }
    }, 50);
    work.then(
      (value) => {
        clearInterval(timer);
        resolve(value);
      },
      (error) => {
        clearInterval(timer);
        reject(error);
      },
    );
  });
}
