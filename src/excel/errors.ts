/**
 * Errors in plain words: what went wrong and what to do, never a stack trace. Pure (no Excel
 * calls): it reads the code of an OfficeExtension.Error (or the fake's) and the audit's own
 * AuditInputError, whose messages are already written for people.
 */
import { AuditInputError } from "../audit";

/** The user pressed Cancel; whatever the run had added has been removed. */
export class CancelledError extends Error {
  constructor() {
    super("Cancelled.");
    this.name = "CancelledError";
  }
}

/** A failure the adapter explains itself (e.g. an empty sheet), with the step it happened in. */
export class WorkbookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkbookError";
  }
}

export type Step = "read" | "audit" | "write" | "insert" | "select" | "settings";

const STEP_WORDS: Record<Step, string> = {
  read: "reading the sheets",
  audit: "auditing the inventory",
  write: "writing the report sheets",
  insert: "inserting the sample sheet",
  select: "selecting the row",
  settings: "saving the settings",
};

/** What Excel said, by error code, and what the user can do about it. */
const CODE_ADVICE: Record<string, string> = {
  InvalidOperationInCellEditMode: "Excel is editing a cell. Press Enter or Esc in the sheet, then try again.",
  ItemNotFound: "A sheet it needed is gone (renamed or deleted?). Pick the sheets again, then try again.",
  ItemAlreadyExists: "A sheet with the same name appeared meanwhile. Try again.",
  AccessDenied: "The workbook or a sheet is protected, or the file is read-only. Unprotect it (Review > Unprotect), then try again.",
  InvalidOperation: "Excel refused the change (is the workbook structure protected?). Unprotect it, then try again.",
  ResponsePayloadSizeLimitExceeded: "The sheet is too large to read in one go. Remove unused columns, then try again.",
  RequestPayloadSizeLimitExceeded: "The report is too large to write in one go. Try again; if it fails again, audit a smaller inventory.",
  RangeExceedsLimit: "The sheet is too large to read. Remove unused rows and columns, then try again.",
  GeneralException: "Excel reported an internal error. Save the workbook, then try again.",
  RequestAborted: "The connection to Excel was interrupted. Try again.",
  Conflict: "Someone else changed the workbook at the same time. Try again.",
  ApiNotFound: "This version of Excel lacks a feature the add-in needs. Update Office, or use Excel on the web.",
};

interface Explained {
  /** One or two sentences for the status line. */
  message: string;
  /** Whether the failure is the user's input (not Excel's): shown as a warning, not an error. */
  input: boolean;
  cancelled: boolean;
}

function codeOf(error: unknown): string | undefined {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; debugInfo?: { code?: unknown } };
    if (typeof e.code === "string") return e.code;
    if (typeof e.debugInfo?.code === "string") return e.debugInfo.code;
  }
  return undefined;
}

/** The error in words for the pane, with the step it happened in and what was kept. */
export function explainError(error: unknown, step: Step, outcome?: "rolled-back" | "completed" | "unknown"): Explained {
  if (error instanceof CancelledError) {
    return { message: "Cancelled. The workbook is as it was.", input: false, cancelled: true };
  }
  if (error instanceof AuditInputError || error instanceof WorkbookError) {
    return { message: error.message, input: true, cancelled: false };
  }
  const code = codeOf(error);
  const kept =
    outcome === "rolled-back"
      ? " Nothing was changed: the sheets this run had added were removed."
      : outcome === "completed"
        ? " The new report was nevertheless written in full; your own sheets were not touched."
        : outcome === "unknown"
          ? " Some sheets this run added may be left (hidden, named CALS-tmp-…): auditing again replaces them; your own sheets were not touched."
          : "";
  const advice = (code && CODE_ADVICE[code]) || "Try again; if it keeps failing, save, close and reopen the workbook.";
  const what = code ? `Excel stopped while ${STEP_WORDS[step]} (${code}).` : `Something went wrong while ${STEP_WORDS[step]}.`;
  return { message: `${what}${kept} ${advice}`, input: false, cancelled: false };
}
