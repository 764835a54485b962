import type { OrgWideSettings } from "../licensing";
/**
 * "Audit sheet", start to end: read the inventory (and the owned licences) in chunks, run the
 * pure audit, write the report sheets. The pane calls this and shows what it returns.
 */
import { runAudit } from "../audit";
import type { AuditReport, PriceInput } from "../audit";
import { reportLayouts, SHEET_NAMES } from "../report";
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
  prices?: PriceInput;
  orgWide?: OrgWideSettings;
  /** The pane's settings as typed, saved in the workbook with the report. */
  paneSettings?: PaneSettings;
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
function reportPlan(report: AuditReport): ReportPlan {
  const wanted: ReportPlan["wanted"] = [
    { role: "summary", name: SHEET_NAMES.summary },
    { role: "assignments", name: SHEET_NAMES.assignments },
  ];
  if (report.problems.length) wanted.push({ role: "problems", name: SHEET_NAMES.problems });
  return { wanted, build: (sheetNames) => reportLayouts(report, { sheetNames }) };
}

export async function auditWorkbook(host: ExcelHost, request: AuditRequest, options: AuditRunOptions = {}): Promise<AuditOutcome> {
  const { onProgress, signal } = options;
  const checkCancel = () => {
    if (signal?.aborted) throw new StepError("read", new CancelledError());
  };
  const inventory = await step("read", () =>
    readSheet(host, request.inventorySheet, { signal, onProgress: (done, total) => onProgress?.({ step: "read", done, total }) }),
  );
  if (inventory.grid.length === 0) {
    throw new StepError(
      "read",
      new WorkbookError(`Sheet "${inventory.sheet}" is empty. Pick the sheet that holds the inventory, or click Insert sample inventory to try the add-in.`),
    );
  }
  const ownedName = request.ownedSheet || "";
  const owned = ownedName ? await step("read", () => readSheet(host, ownedName, { signal })) : null;
  checkCancel();

  onProgress?.({ step: "audit", done: 0, total: inventory.grid.length });
  // Let the pane paint "Auditing…" before the (synchronous) audit takes the thread.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const report = await step("audit", () =>
    runAudit(inventory.grid, {
      sheet: inventory.sheet,
      firstRow: inventory.firstRow,
      firstColumn: inventory.firstColumn,
      owned: owned?.grid,
      ownedSheet: owned?.sheet,
      ownedFirstRow: owned?.firstRow,
      ownedFirstColumn: owned?.firstColumn,
      mode: request.mode || "auto",
      defaultVersion: request.defaultVersion || undefined,
      prices: request.prices,
      orgWide: request.orgWide,
      now: options.now,
    }),
  );
  checkCancel();

  const keep = [inventory.sheet, ...(owned ? [owned.sheet] : [])];
  const settings = request.paneSettings ? { [PANE_SETTING]: request.paneSettings } : undefined;
  const written = await step("write", () =>
    writeReport(host, reportPlan(report), {
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
