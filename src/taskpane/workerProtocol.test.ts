import { AuditInputError, runAudit } from "../audit";
import { LicensingError } from "../licensing";
import { reportLayouts } from "../report";
import { SAMPLE_INVENTORY } from "../sample";
import { rebuildError, sendError, withoutHoldings } from "./workerProtocol";
import { resultSummary } from "./result";

describe("what crosses between the pane and its audit worker", () => {
  const report = runAudit(SAMPLE_INVENTORY as never, { sheet: "Inventory", now: new Date("2026-01-05T00:00:00Z") });

  test("the report, copied as postMessage copies it and without holdings, gives the pane the same figures and problems", () => {
    const sent = structuredClone(withoutHoldings(report));
    expect(report.plan.holdings.length).toBeGreaterThan(10);
    expect(sent.plan.holdings).toEqual([]);
    expect(resultSummary(sent)).toEqual(resultSummary(report));
    expect(sent.problems).toEqual(report.problems);
    expect(sent.position).toEqual(report.position);
    // The worker keeps the whole report: its layouts are the ones this thread would build.
    expect(reportLayouts(structuredClone(report))).toEqual(reportLayouts(report));
  });

  test("an error comes back as the same class with the same message, so the pane explains it the same way", () => {
    const input = rebuildError(structuredClone(sendError(new AuditInputError('No "User" column in the first 20 rows.'))));
    expect(input).toBeInstanceOf(AuditInputError);
    expect(input.message).toBe('No "User" column in the first 20 rows.');
    const licensing = rebuildError(structuredClone(sendError(new LicensingError("#N/A", "nothing"))));
    expect(licensing).toBeInstanceOf(LicensingError);
    expect((licensing as LicensingError).code).toBe("#N/A");
    const other = rebuildError(structuredClone(sendError(new RangeError("too deep"))));
    expect([other.name, other.message]).toEqual(["RangeError", "too deep"]);
  });
});
