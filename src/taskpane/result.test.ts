import { compliantSampleReport, sampleReport } from "../../test/support/reportFixtures";
import { cleanPrice, formatMoney, MODE_HELP, problemLabel, resultSummary } from "./result";

test("the result card adds up the position lines and says the status in words", () => {
  const r = resultSummary(sampleReport());
  // fixtures: required 4+1+1, owned 2+1+3, short 2, surplus 2, to buy 160.00
  expect(r).toMatchObject({ status: "non-compliant", word: "NOT COMPLIANT", required: 6, owned: 6, short: 2, surplus: 2, cost: 160 });
  expect(r.sentence).toMatch(/^2 CALs are missing/);
  const ok = resultSummary(compliantSampleReport());
  expect(ok.word).toBe("COMPLIANT");
  expect(ok.short).toBe(0);
});

test("money, prices and problem labels", () => {
  expect(formatMoney(1234.5)).toBe("1,234.50");
  expect(cleanPrice(" 1,250.00 $ ")).toBe("1,250.00 $");
  expect(cleanPrice("   ")).toBeUndefined();
  expect(cleanPrice("abc")).toBe("abc"); // left for the audit to refuse, in its words
  expect(problemLabel({ sheet: "Inventory", row: 12, column: "Version", message: "unknown", severity: "error" }).where).toBe("Inventory row 12, Version");
  expect(Object.keys(MODE_HELP)).toEqual(["auto", "per-user", "per-device", "mixed", "per-seat", "per-server"]);
});
