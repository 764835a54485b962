/**
 * The Excel adapter: the only code that calls the Excel JavaScript API. It reads the
 * inventory and owned sheets in chunks sized to Office's payload limit (read.ts), runs the
 * audit (audit.ts), writes the report's layouts as new sheets, never over the user's, so a
 * failed write leaves the workbook as it was (write.ts), and keeps the pane's settings in
 * the workbook (workbook.ts). It writes only what a layout says; host.ts is the seam tests use.
 */
export { officeExcelHost, testOnlyHost, TEST_HOST_GLOBAL } from "./host";
export type { ExcelHost } from "./host";
export { auditWorkbook, reportPlan, StepError } from "./audit";
export type { AuditOutcome, AuditProgress, AuditRequest } from "./audit";
export { CancelledError, explainError, WorkbookError } from "./errors";
export type { Explained, Step } from "./errors";
export { readSheet } from "./read";
export { writeReport, fixedPlan, removeSheets, outcomeOf, REPORT_SETTING } from "./write";
export type { WriteOutcome } from "./write";
export { defaultSheets, insertSample, readWorkbookState, savePaneSettings, selectRow, PANE_SETTING, OWNED_NAMES } from "./workbook";
export type { PaneSettings, SampleKind, WorkbookState } from "./workbook";
