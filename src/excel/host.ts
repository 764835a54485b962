/**
 * The one door to Excel. Everything in src/excel talks to the workbook through an ExcelHost:
 * in Excel it is Excel.run; in tests it is the in-memory fake (test/support/fake-excel.ts).
 */

export interface ExcelHost {
  /** Excel.run: runs a batch function against a fresh request context. */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  /** Whether the ExcelApi requirement set of this version (e.g. "1.12") is available. */
  supports(version: string): boolean;
}

/** The real thing: Excel.run inside Office. Call only after Office.onReady said Excel. */
export function officeExcelHost(): ExcelHost {
  return {
    run: (batch) => Excel.run(batch),
    supports: (version) => {
      try {
        return Office.context.requirements.isSetSupported("ExcelApi", version);
      } catch {
        return false;
      }
    },
  };
}

/**
 * The name of a global that ONLY the browser test defines (page.addInitScript in
 * test/e2e/pane.e2e.ts): an in-memory workbook standing in for Excel. Production never
 * defines it, and the pane honours it only when Office says it is not inside a host.
 */
const TEST_HOST_GLOBAL = "__CALS_TEST_ONLY_EXCEL_HOST__";

/** The test-only stand-in for Excel, when a browser test installed one. */
export function testOnlyHost(): ExcelHost | null {
  const g = globalThis as Record<string, unknown>;
  const host = g[TEST_HOST_GLOBAL] as Partial<ExcelHost> | undefined;
  if (host && typeof host.run === "function" && typeof host.supports === "function") return host as ExcelHost;
  return null;
}
