/** The Excel adapter: the only code that calls the Excel JavaScript API. */
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
