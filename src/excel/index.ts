/**
 * The Excel adapter: the only code that calls the Excel JavaScript API. It reads the
 * inventory and owned sheets in chunks sized to Office's payload limit (read.ts), runs the
 * audit (audit.ts), writes the report's layouts as new sheets, never over the user's, so a
 * failed write leaves the workbook as it was (write.ts), and keeps the pane's settings in
 * the workbook (workbook.ts). It writes only what a layout says; host.ts is the seam tests use.
 */
export { officeExcelHost, testOnlyHost } from "./host";
export type { ExcelHost } from "./host";
export { auditWorkbook, EngineUnavailable, StepError } from "./audit";
export type { AuditEngine, AuditProgress } from "./audit";
export { explainError } from "./errors";
export { outcomeOf } from "./write";
export { defaultSheets, insertSample, readWorkbookState, selectRow } from "./workbook";
export type { PaneSettings, SampleKind, WorkbookState } from "./workbook";
export { buildInventorySheets } from "./build";
export type { BuiltSheets } from "./build";
