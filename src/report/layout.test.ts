import { runAudit } from "../audit";
import type { AuditReport, Holding } from "../audit";
import type { Grid } from "../sheet";
import { compliantSampleReport, INJECTION_NAME, sampleReport } from "../../test/support/reportFixtures";
import { compactRows, EXCEL_CELL_LIMIT, formatAuditTime, wrapText } from "./format";
import { ASSIGNMENT_HEADERS, CHOSEN_MARK, PLAN_HEADERS, POSITION_HEADERS, PROBLEM_HEADERS, reportLayouts, SHEET_NAMES, TO_BUY_HEADERS } from "./layout";
import type { CellStyle, LayoutValue, Rect, SheetLayout } from "./types";
import { PALETTE } from "./types";

// ---- helpers ------------------------------------------------------------------------------

function sheet(layouts: SheetLayout[], role: SheetLayout["role"]): SheetLayout {
  const found = layouts.find((l) => l.role === role);
  if (!found) throw new Error(`no ${role} sheet`);
  return found;
}

function inRect(rect: Rect, row: number, col: number): boolean {
  return row >= rect.row && row < rect.row + rect.rows && col >= rect.col && col < rect.col + rect.cols;
}

/** The style a writer ends up with at a cell: rects applied in order, later wins. */
function styleAt(layout: SheetLayout, row: number, col: number): CellStyle {
  const out: CellStyle = {};
  for (const s of layout.styles) if (inRect(s.rect, row, col)) Object.assign(out, s.style);
  return out;
}

function formatAt(layout: SheetLayout, row: number, col: number): string | undefined {
  let f: string | undefined;
  for (const nf of layout.numberFormats) if (inRect(nf.rect, row, col)) f = nf.format;
  return f;
}

function findCells(layout: SheetLayout, pred: (v: LayoutValue) => boolean): { row: number; col: number }[] {
  const hits: { row: number; col: number }[] = [];
  layout.values.forEach((r, row) => r.forEach((v, col) => pred(v) && hits.push({ row, col })));
  return hits;
}

function findCell(layout: SheetLayout, value: LayoutValue): { row: number; col: number } {
  const hits = findCells(layout, (v) => v === value);
  if (hits.length === 0) throw new Error(`no cell ${String(value)}`);
  return hits[0];
}

/** The row whose first cells equal `headers`, after the row holding `after` in column 0. */
function headerRow(layout: SheetLayout, headers: string[], after = 0): number {
  for (let r = after; r < layout.values.length; r++) {
    if (headers.every((h, c) => layout.values[r][c] === h)) return r;
  }
  throw new Error(`no header ${headers.join(",")}`);
}

function sectionRow(layout: SheetLayout, title: string): number {
  return findCell(layout, title).row;
}

function allLayouts(report: AuditReport = sampleReport()): SheetLayout[] {
  return reportLayouts(report);
}

/**
 * The contract every layout keeps. Problems are collected and asserted once: an expect per
 * cell would cost minutes on the 300,000-row ledger.
 */
function checkInvariants(layout: SheetLayout): void {
  const bad: string[] = [];
  const rows = layout.values.length;
  const cols = rows ? layout.values[0].length : 0;
  layout.values.forEach((r, i) => {
    if (r.length !== cols) bad.push(`row ${i} has ${r.length} cells, not ${cols}`);
    for (const v of r) {
      if (v === undefined) bad.push(`row ${i} holds undefined`);
      else if (typeof v === "number" && !Number.isFinite(v)) bad.push(`row ${i} holds ${v}`);
      else if (typeof v === "string" && v.length > EXCEL_CELL_LIMIT) bad.push(`row ${i} holds ${v.length} characters`);
    }
  });
  if (layout.columnWidths.length !== cols) bad.push(`${layout.columnWidths.length} widths for ${cols} columns`);
  if (!layout.columnWidths.every((w) => w > 0)) bad.push(`widths ${layout.columnWidths.join(",")}`);
  const rects: [string, Rect][] = [
    ...layout.styles.map((s): [string, Rect] => ["style", s.rect]),
    ...layout.numberFormats.map((f): [string, Rect] => ["format", f.rect]),
    ...layout.merges.map((m): [string, Rect] => ["merge", m]),
    ...layout.dataBars.map((d): [string, Rect] => ["data bars", d.rect]),
    ...(layout.print.titleRows ? [["title rows", layout.print.titleRows] as [string, Rect]] : []),
  ];
  for (const [what, r] of rects) {
    const ok =
      Number.isInteger(r.row) &&
      Number.isInteger(r.col) &&
      r.rows > 0 &&
      r.cols > 0 &&
      r.row >= 0 &&
      r.col >= 0 &&
      r.row + r.rows <= rows &&
      r.col + r.cols <= cols;
    if (!ok) bad.push(`${what} ${JSON.stringify(r)} outside ${rows}x${cols}`);
  }
  for (const h of layout.rowHeights ?? []) if (h.row < 0 || h.row >= rows || !(h.points > 0)) bad.push(`height ${JSON.stringify(h)}`);
  if (!layout.name || layout.name.length > 31) bad.push(`name "${layout.name}"`);
  if (layout.print.landscape !== true || layout.print.fitToWidth !== 1) bad.push("print settings");
  expect(bad).toEqual([]);
}

// ---- helpers of the layouts ------------------------------------------------------------------

describe("compactRows", () => {
  test("runs become ranges, singles stay single", () => {
    expect(compactRows([2, 3, 4, 5, 9])).toBe("2-5, 9");
    expect(compactRows([2, 3, 4, 5, 9, 12, 13, 14])).toBe("2-5, 9, 12-14");
    expect(compactRows([7])).toBe("7");
    expect(compactRows([])).toBe("");
  });

  test("unsorted input and repeats are fine", () => {
    expect(compactRows([9, 3, 2, 5, 4, 3, 2])).toBe("2-5, 9");
  });

  test("a long list stops under the limit and says how many rows are left", () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => 2 + 2 * i); // no two adjacent
    const text = compactRows(rows);
    expect(text.length).toBeLessThanOrEqual(EXCEL_CELL_LIMIT);
    const m = /… and ([\d,]+) more rows$/.exec(text);
    expect(m).not.toBeNull();
    const listed = text.slice(0, m!.index).split(", ").filter(Boolean).length;
    expect(listed + Number(m![1].replace(/,/g, ""))).toBe(200_000);
  });

  test("a tight limit is respected exactly", () => {
    for (const max of [20, 21, 22, 30, 40]) {
      const text = compactRows([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21], max);
      expect(text.length).toBeLessThanOrEqual(max);
    }
    expect(compactRows([1, 3, 5], 7)).toBe("1, 3, 5");
  });
});

describe("formatAuditTime", () => {
  test("UTC, minutes, no locale", () => {
    expect(formatAuditTime("2026-11-27T21:40:12.000Z")).toBe("2026-11-27 21:40 UTC");
    expect(formatAuditTime("2026-01-05T23:05:00+02:00")).toBe("2026-01-05 21:05 UTC");
    expect(formatAuditTime("not a date")).toBe("not a date");
  });
});

describe("wrapText", () => {
  test("lines stay within the width and keep every word", () => {
    const text = "the quick brown fox jumps over the lazy dog ".repeat(5).trim();
    const lines = wrapText(text, 20);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
    expect(lines.join(" ")).toBe(text);
    expect(wrapText("x".repeat(45), 20)).toEqual(["x".repeat(20), "x".repeat(20), "x".repeat(5)]);
  });
});

// ---- the sheets ---------------------------------------------------------------------------------

describe("reportLayouts", () => {
  test("three sheets with the wanted names and roles, in order", () => {
    const layouts = allLayouts();
    expect(layouts.map((l) => l.role)).toEqual(["summary", "assignments", "problems"]);
    expect(layouts.map((l) => l.name)).toEqual([SHEET_NAMES.summary, SHEET_NAMES.assignments, SHEET_NAMES.problems]);
  });

  test("every sheet is rectangular and every rect is within bounds", () => {
    for (const report of [sampleReport(), compliantSampleReport()]) {
      for (const layout of reportLayouts(report)) checkInvariants(layout);
    }
  });

  test("no Problems sheet when there are no problems", () => {
    const report = sampleReport();
    report.problems = [];
    const layouts = reportLayouts(report);
    expect(layouts.map((l) => l.role)).toEqual(["summary", "assignments"]);
    const summary = sheet(layouts, "summary");
    expect(summary.values.flat().some((v) => typeof v === "string" && v.includes(SHEET_NAMES.problems))).toBe(false);
  });

  test("deterministic: the same report gives the same layouts", () => {
    expect(reportLayouts(sampleReport())).toEqual(reportLayouts(sampleReport()));
  });

  test("every number is a number, covered by a count, money or row format", () => {
    for (const layout of allLayouts()) {
      for (const { row, col } of findCells(layout, (v) => typeof v === "number")) {
        expect([layout.name, row, col, formatAt(layout, row, col)]).toEqual([layout.name, row, col, expect.stringMatching(/^(#,##0|#,##0\.00|0)$/)]);
      }
    }
  });

  test("sheet names given by a writer are used, cut to 31 characters, and named in the pointer line", () => {
    const layouts = reportLayouts(sampleReport(), {
      sheetNames: { assignments: "CAL Assignments (2)", problems: "A very long sheet name for the problems list" },
    });
    expect(layouts[1].name).toBe("CAL Assignments (2)");
    expect(layouts[2].name).toBe("A very long sheet name for the ");
    const text = layouts[0].values
      .flat()
      .filter((v) => typeof v === "string")
      .join("\n");
    expect(text).toContain('"CAL Assignments (2)"');
    expect(text).toContain('"A very long sheet name for the "');
  });
});

describe("CAL Summary", () => {
  test("title, audit time, source, owned, modes and prices", () => {
    const s = sheet(allLayouts(), "summary");
    expect(s.values[0][0]).toBe("Exchange CAL audit");
    const field = (label: string) => s.values[findCell(s, label).row][1];
    expect(field("Audited")).toBe("2026-11-27 21:40 UTC");
    expect(field("Inventory sheet")).toBe("Access");
    expect(field("Header row")).toBe(1);
    expect(field("Rows read")).toBe(16);
    expect(field("Rows used")).toBe(15);
    expect(field("Rows rejected")).toBe(1);
    expect(field("Owned licences")).toBe("Owned");
    expect(field("Owned licence lines")).toBe(3);
    expect(field("Mode requested")).toMatch(/^auto/);
    expect(field("Mode chosen")).toBe('mixed (user and device CALs), plan "mixed (lowest cost)"; auto: lowest cost to buy');
    expect(field("Prices used")).toMatch(/example/i);
    expect(field("User CAL, Standard")).toBe(80);
    expect(formatAt(s, findCell(s, "User CAL, Standard").row, 1)).toBe("#,##0.00");
    expect(s.freezeRows).toBe(0);
    expect(s.print.titleRows).toBeUndefined();
  });

  test("no owned sheet: every CAL counted as to buy; given prices are not called examples", () => {
    const report = sampleReport();
    report.owned = { sheet: null, lines: 0 };
    report.pricesAreDefaults = false;
    report.requestedMode = "per-user";
    report.mode = "per-user";
    report.plans = [{ ...report.plans[0], label: "per-user", chosen: true }];
    const s = sheet(reportLayouts(report), "summary");
    const field = (label: string) => s.values[findCell(s, label).row][1];
    expect(field("Owned licences")).toBe("none: every CAL counted as to buy");
    expect(findCells(s, (v) => v === "Owned licence lines")).toHaveLength(0);
    expect(field("Prices used")).not.toMatch(/example/i);
    expect(field("Mode chosen")).toBe("per user; as requested");
  });

  test("NOT COMPLIANT: the word, in a big red cell", () => {
    const s = sheet(allLayouts(), "summary");
    const { row, col } = findCell(s, "NOT COMPLIANT");
    const style = styleAt(s, row, col);
    expect(style.fill).toBe(PALETTE.bad.fill);
    expect(style.fontColor).toBe(PALETTE.bad.fontColor);
    expect(style.bold).toBe(true);
    expect(style.fontSize).toBeGreaterThanOrEqual(16);
    expect(findCells(s, (v) => v === "COMPLIANT")).toHaveLength(0);
    expect(s.merges.some((m) => inRect(m, row, col))).toBe(true);
    expect(s.rowHeights?.some((h) => h.row === row && h.points >= 30)).toBe(true);
  });

  test("COMPLIANT: the word, in a big green cell", () => {
    const s = sheet(reportLayouts(compliantSampleReport()), "summary");
    const { row, col } = findCell(s, "COMPLIANT");
    const style = styleAt(s, row, col);
    expect(style.fill).toBe(PALETTE.good.fill);
    expect(style.fontColor).toBe(PALETTE.good.fontColor);
    expect(findCells(s, (v) => v === "NOT COMPLIANT")).toHaveLength(0);
  });

  test("position table: product names, numbers, status words and matching colours", () => {
    const report = sampleReport();
    const s = sheet(reportLayouts(report), "summary");
    const h = headerRow(s, POSITION_HEADERS);
    expect(styleAt(s, h, 0).fill).toBe(PALETTE.header.fill);
    const expected = {
      compliant: ["Compliant", PALETTE.good],
      shortfall: ["Short", PALETTE.bad],
      surplus: ["Surplus", PALETTE.neutral],
    } as const;
    report.position.lines.forEach((line, i) => {
      const r = h + 1 + i;
      const row = s.values[r];
      expect(row[2]).toBe("Exchange Server 2019");
      expect(row.slice(3, 7)).toEqual([line.required, line.owned, line.shortfall, line.surplus]);
      for (let c = 3; c < 7; c++) expect(formatAt(s, r, c)).toBe("#,##0");
      const [word, colour] = expected[line.status];
      expect(row[7]).toBe(word);
      expect(styleAt(s, r, 7).fill).toBe(colour.fill);
      expect(styleAt(s, r, 7).fontColor).toBe(colour.fontColor);
    });
    expect(s.values[h + 1].slice(0, 2)).toEqual(["User", "Standard"]);
    expect(s.values[h + 2].slice(0, 2)).toEqual(["User", "Enterprise"]);
    // Totals row.
    const total = s.values[h + 1 + report.position.lines.length];
    expect(total[0]).toBe("Total");
    expect(total.slice(3, 7)).toEqual([6, 6, 2, 2]);
    expect(styleAt(s, h + 1 + report.position.lines.length, 0).bold).toBe(true);
    // One data-bar rule over Required and Owned together (a shared scale), lines only.
    expect(s.dataBars).toEqual([{ rect: { row: h + 1, col: 3, rows: report.position.lines.length, cols: 2 }, color: expect.stringMatching(/^[0-9A-F]{6}$/) }]);
  });

  test("a per-server line names its server", () => {
    const report = sampleReport();
    report.position.lines.push({
      type: "server",
      edition: "standard",
      version: "2000",
      server: "EX01",
      required: 25,
      owned: 25,
      shortfall: 0,
      surplus: 0,
      status: "compliant",
      coveredBy: [],
    });
    const s = sheet(reportLayouts(report), "summary");
    const h = headerRow(s, POSITION_HEADERS);
    expect(s.values[h + 4].slice(0, 3)).toEqual(["Per-server", "Standard", "Exchange 2000 Server, server EX01"]);
  });

  test("External Connectors get a plan column and a price only when a plan has any", () => {
    expect(findCells(sheet(allLayouts(), "summary"), (v) => v === "External Connectors")).toHaveLength(0);
    const report = sampleReport();
    for (const ev of report.plans) ev.plan.connector = { standard: 1 };
    const s = sheet(reportLayouts(report), "summary");
    const headers = [...PLAN_HEADERS.slice(0, 6), "External Connectors", ...PLAN_HEADERS.slice(6)];
    const h = headerRow(s, headers);
    expect(s.values[h + 3].slice(5, 10)).toEqual([0, 1, 445, 160, CHOSEN_MARK]);
    expect(formatAt(s, h + 3, 6)).toBe("#,##0");
    expect(s.columnWidths).toHaveLength(10);
    checkInvariants(s);
  });

  test("plans compared: one row each, the chosen one marked exactly once", () => {
    const report = sampleReport();
    const s = sheet(reportLayouts(report), "summary");
    const h = headerRow(s, PLAN_HEADERS);
    expect(s.values[h - 1][1]).toBe("User CALs");
    expect(s.values[h - 1][3]).toBe("Device CALs");
    const rows = report.plans.map((_, i) => s.values[h + 1 + i]);
    expect(rows.map((r) => r[0])).toEqual(["per user", "per device", "mixed (lowest cost)"]);
    expect(rows[0].slice(1, 8)).toEqual([7, 1, 0, 0, 0, 605, 400]);
    expect(rows[1].slice(1, 8)).toEqual([0, 0, 7, 1, 0, 605, 365]);
    expect(rows[2].slice(1, 8)).toEqual([4, 1, 1, 0, 0, 445, 160]);
    expect(formatAt(s, h + 1, 6)).toBe("#,##0.00");
    expect(formatAt(s, h + 1, 7)).toBe("#,##0.00");
    expect(formatAt(s, h + 1, 1)).toBe("#,##0");
    const marks = findCells(s, (v) => v === CHOSEN_MARK);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toEqual({ row: h + 3, col: 8 });
    expect(styleAt(s, h + 3, 8).bold).toBe(true);
    expect(styleAt(s, h + 1, 0).bold).toBeFalsy();
    // Modes auto skipped are said.
    const text = s.values
      .flat()
      .filter((v) => typeof v === "string")
      .join("\n");
    expect(text).toContain("Not compared: per seat");
  });

  test("to buy: cost = quantity x unit price, totals add up", () => {
    const report = sampleReport();
    report.position.toBuy.push({ type: "device", edition: "enterprise", version: "SE", quantity: 3, unitPrice: 45.1, cost: 135.3 });
    report.position.toBuyCost = 295.3;
    const s = sheet(reportLayouts(report), "summary");
    const h = headerRow(s, TO_BUY_HEADERS, sectionRow(s, "To buy"));
    const lines = report.position.toBuy.map((_, i) => s.values[h + 1 + i]);
    expect(lines[1].slice(0, 3)).toEqual(["Device", "Enterprise", "Exchange Server Subscription Edition"]);
    let qty = 0;
    let cost = 0;
    for (const l of lines) {
      expect(l[5]).toBeCloseTo((l[3] as number) * (l[4] as number), 2);
      qty += l[3] as number;
      cost += l[5] as number;
    }
    const total = s.values[h + 1 + lines.length];
    expect(total[0]).toBe("Total");
    expect(total[3]).toBe(qty);
    expect(total[5]).toBeCloseTo(cost, 2);
    expect(total[5]).toBe(295.3);
    for (let r = h + 1; r <= h + 1 + lines.length; r++) {
      expect(formatAt(s, r, 3)).toBe("#,##0");
      expect(formatAt(s, r, 5)).toBe("#,##0.00");
    }
    expect(formatAt(s, h + 1, 4)).toBe("#,##0.00");
    // No discrepancy note when the engine's total matches.
    expect(s.values.flat().some((v) => typeof v === "string" && v.includes("own to-buy total"))).toBe(false);
  });

  test("nothing to buy says so", () => {
    const s = sheet(reportLayouts(compliantSampleReport()), "summary");
    expect(() => headerRow(s, TO_BUY_HEADERS)).toThrow();
    expect(s.values[sectionRow(s, "To buy") + 1][0]).toMatch(/^Nothing/);
  });

  test("surplus value, notes, warnings, exemptions and the pointer to the other sheets", () => {
    const report = sampleReport();
    const s = sheet(reportLayouts(report), "summary");
    const sv = findCell(s, "Owned, not needed");
    expect(s.values[sv.row][1]).toBe(160);
    expect(formatAt(s, sv.row, 1)).toBe("#,##0.00");
    const text = s.values
      .map((r) => r.filter((v) => typeof v === "string").join(" "))
      .join("\n")
      .replace(/\n {2}/g, " "); // join wrapped continuation lines
    expect(text).toContain(report.position.notes[0]);
    expect(text).toContain(report.warnings[0]);
    const cov = sectionRow(s, "Exempt and covered elsewhere");
    expect(s.values[cov + 1].slice(0, 3)).toEqual(["Rows", "Holders", "Reason"]);
    expect(s.values[cov + 2].slice(0, 3)).toEqual([2, 1, report.exemptions[0].reason]);
    expect(text).toContain(`"${SHEET_NAMES.assignments}"`);
    expect(text).toContain(`"${SHEET_NAMES.problems}"`);
  });

  test("no exemptions section when nothing is exempt", () => {
    const report = sampleReport();
    report.exemptions = [];
    const s = sheet(reportLayouts(report), "summary");
    expect(findCells(s, (v) => v === "Exempt and covered elsewhere")).toHaveLength(0);
  });

  test("long free text is wrapped to the width of the table, not widening a column", () => {
    const report = sampleReport();
    report.warnings = ["word ".repeat(200).trim()];
    const s = sheet(reportLayouts(report), "summary");
    const total = s.columnWidths.reduce((a, b) => a + b, 0);
    const lines = findCells(s, (v) => typeof v === "string" && /^(• | {2})word/.test(v));
    expect(lines.length).toBeGreaterThan(2);
    for (const { row, col } of lines) {
      expect(col).toBe(0);
      expect((s.values[row][col] as string).length).toBeLessThanOrEqual(total);
    }
    expect(s.columnWidths).toEqual(sheet(allLayouts(), "summary").columnWidths);
    for (const w of s.columnWidths) expect(w).toBeLessThanOrEqual(48);
  });

  test("column widths fit the table content", () => {
    const s = sheet(allLayouts(), "summary");
    expect(s.columnWidths).toHaveLength(s.values[0].length);
    // Version column holds "Exchange Server 2019" (20 characters) and fits it.
    expect(s.columnWidths[2]).toBeGreaterThanOrEqual("Exchange Server 2019".length);
    // Plan-cost column fits its header.
    expect(s.columnWidths[7]).toBeGreaterThanOrEqual("Cost to buy".length);
  });
});

describe("CAL Assignments", () => {
  test("header, frozen, printed on every page", () => {
    const a = sheet(allLayouts(), "assignments");
    expect(a.values[0]).toEqual(ASSIGNMENT_HEADERS);
    expect(a.freezeRows).toBe(1);
    expect(a.print.titleRows).toEqual({ row: 0, col: 0, rows: 1, cols: ASSIGNMENT_HEADERS.length });
    expect(styleAt(a, 0, 0).fill).toBe(PALETTE.header.fill);
    expect(a.columnWidths).toHaveLength(ASSIGNMENT_HEADERS.length);
  });

  test("sorted by holder type, then name ignoring case, then edition; rows compact", () => {
    const a = sheet(allLayouts(), "assignments");
    expect(a.values.slice(1)).toEqual([
      ["User", INJECTION_NAME, "User", "Standard", "Exchange Server 2019", "14", 1],
      ["User", "Ann Lee", "User", "Standard", "Exchange Server 2019", "2-5", 4],
      ["User", "Ann Lee", "User", "Enterprise", "Exchange Server 2019", "2-3", 2],
      ["User", "Bob Adams", "User", "Standard", "Exchange Server 2019", "8, 12-13", 3],
      ["User", "bob smith", "User", "Standard", "Exchange Server 2019", "6-7", 2],
      ["Device", "KIOSK-01", "Device", "Standard", "Exchange Server 2019", "9-11", 3],
    ]);
    for (let r = 1; r < a.values.length; r++) {
      expect(formatAt(a, r, 6)).toBe("#,##0");
      expect(typeof a.values[r][5]).toBe("string"); // text: the writers keep "2-5" from becoming a date
    }
  });

  test("a holder's rows as ranges: 2-5, 9", () => {
    const report = sampleReport();
    report.plan.holdings = [{ holder: "device", name: "PC-1", type: "device", edition: "standard", version: "2016", rows: [9, 2, 3, 4, 5] }];
    const a = sheet(reportLayouts(report), "assignments");
    expect(a.values[1]).toEqual(["Device", "PC-1", "Device", "Standard", "Exchange Server 2016", "2-5, 9", 5]);
  });

  test("a per-server CAL names its server in the version", () => {
    const report = sampleReport();
    report.plan.holdings = [{ holder: "device", name: "PC-9", type: "server", edition: "standard", version: "2000", rows: [4], server: "EX01" }];
    const a = sheet(reportLayouts(report), "assignments");
    expect(a.values[1]).toEqual(["Device", "PC-9", "Per-server", "Standard", "Exchange 2000 Server, server EX01", "4", 1]);
    expect(a.columnWidths[4]).toBeGreaterThanOrEqual("Exchange 2000 Server, server EX01".length);
  });

  test("names that look like formulas stay exactly as they are", () => {
    const names = [INJECTION_NAME, "+1", "-2", "@SUM(A1)", "\tTab", "=1+1"];
    const report = sampleReport();
    report.plan.holdings = names.map((name, i) => ({
      holder: "user",
      name,
      type: "user",
      edition: "standard",
      version: "2019",
      rows: [i + 2],
    }));
    const a = sheet(reportLayouts(report), "assignments");
    const written = a.values.slice(1).map((r) => r[1]);
    expect([...written].sort()).toEqual([...names].sort());
    for (const name of names) expect(a.values.some((r) => r[1] === name)).toBe(true);
  });

  test("a holder covering a huge number of rows stays under Excel's cell limit", () => {
    const report = sampleReport();
    const rows = Array.from({ length: 150_000 }, (_, i) => 2 + 3 * i);
    report.plan.holdings.push({ holder: "device", name: "SHARED-PC", type: "device", edition: "standard", version: "2019", rows });
    const a = sheet(reportLayouts(report), "assignments");
    const row = a.values.find((r) => r[1] === "SHARED-PC")!;
    const text = row[5] as string;
    expect(text.length).toBeLessThan(EXCEL_CELL_LIMIT);
    expect(text).toMatch(/^2, 5, 8, .*… and [\d,]+ more rows$/);
    expect(row[6]).toBe(150_000);
    expect(a.columnWidths[5]).toBeLessThanOrEqual(60);
    checkInvariants(a);
  });

  test("no holdings: just the header, no empty rects", () => {
    const report = sampleReport();
    report.plan.holdings = [];
    const a = sheet(reportLayouts(report), "assignments");
    expect(a.values).toEqual([ASSIGNMENT_HEADERS]);
    checkInvariants(a);
  });

  test("300,000 holdings lay out", () => {
    const report = sampleReport();
    const holdings: Holding[] = new Array(300_000);
    for (let i = 0; i < holdings.length; i++) {
      const user = i % 2 === 0;
      holdings[i] = {
        holder: user ? "user" : "device",
        name: `${user ? "User" : "PC"}-${(300_000 - i).toString(36)}`,
        type: user ? "user" : "device",
        edition: i % 7 === 0 ? "enterprise" : "standard",
        version: "2019",
        rows: [2 + i, 300_002 + i],
      };
    }
    report.plan.holdings = holdings;
    const a = sheet(reportLayouts(report), "assignments");
    expect(a.values).toHaveLength(300_001);
    expect(a.styles.length + a.numberFormats.length).toBeLessThan(10);
    expect(a.values[1][0]).toBe("User");
    expect(a.values[300_000][0]).toBe("Device");
    checkInvariants(a);
  });
});

describe("CAL Problems", () => {
  test("one row per problem, sorted by row, severity word and colour, frozen header", () => {
    const report = sampleReport();
    report.problems.unshift({ sheet: "Access", row: 20, column: "Server", message: "Server missing", severity: "error" });
    report.problems.push({ sheet: "Owned", row: 3, column: "Quantity", message: '"=2*3" is not a number', severity: "error" });
    const p = sheet(reportLayouts(report), "problems");
    expect(p.values[0]).toEqual(PROBLEM_HEADERS);
    expect(p.freezeRows).toBe(1);
    expect(p.print.titleRows).toEqual({ row: 0, col: 0, rows: 1, cols: PROBLEM_HEADERS.length });
    expect(p.values.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ["Access", 7, "Warning"],
      ["Access", 15, "Error"],
      ["Access", 20, "Error"],
      ["Owned", 3, "Error"],
    ]);
    expect(p.values[4][4]).toBe('"=2*3" is not a number');
    expect(styleAt(p, 1, 3).fill).toBe(PALETTE.neutral.fill);
    for (const r of [2, 3, 4]) expect(styleAt(p, r, 3).fill).toBe(PALETTE.bad.fill);
    // One rect per run of the same severity: a warning run and an error run.
    const severityRects = p.styles.filter((s) => s.rect.col === 3 && s.rect.row > 0);
    expect(severityRects).toHaveLength(2);
    expect(formatAt(p, 2, 1)).toBe("0");
    checkInvariants(p);
  });
});

describe("with the audit engine", () => {
  test("a report from runAudit lays out within the contract", () => {
    const grid: Grid = [
      ["User", "Device", "Server", "Version", "Edition"],
      ...Array.from({ length: 6 }, (_, i) => [`worker${i}`, "KIOSK-1", "EX1", "2016", "Standard"]),
      ["ann", "PC-A", "EX2", "2019", "Enterprise"],
      ["ann", "PHONE-A", "EX2", "2019", "Standard"],
      [INJECTION_NAME, "PC-X", "EX1", "2016", ""], // two devices: a user CAL is the cheaper cover
      [INJECTION_NAME, "PHONE-X", "EX1", "2016", ""],
      ["bob", "", "EX9", "banana", ""],
    ];
    const owned: Grid = [
      ["Type", "Edition", "Version", "Quantity"],
      ["User", "Standard", "2019", 3],
      ["Device", "Standard", "2016", 4],
    ];
    const report = runAudit(grid, { now: new Date("2026-11-27T21:40:00Z"), sheet: "Inventory", owned, ownedSheet: "Owned" });
    const layouts = reportLayouts(report);
    for (const l of layouts) checkInvariants(l);
    const summary = sheet(layouts, "summary");
    expect(summary.values[findCell(summary, "Audited").row][1]).toBe("2026-11-27 21:40 UTC");
    expect(findCells(summary, (v) => v === CHOSEN_MARK)).toHaveLength(1);
    expect(sheet(layouts, "assignments").values.some((r) => r[1] === INJECTION_NAME)).toBe(true);
    expect(layouts.some((l) => l.role === "problems")).toBe(report.problems.length > 0);
  });
});
