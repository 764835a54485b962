/**
 * The Excel adapter against the in-memory fake of the Excel object model (fake-excel.ts):
 * chunked reads, batched writes, sheet ownership, rollback, and strings that stay text.
 */
import { auditWorkbook, StepError } from "./audit";
import { CancelledError, explainError } from "./errors";
import { firstChunkRows, readSheet } from "./read";
import { CHUNK_TARGET_BYTES, MB } from "./size";
import { FakeWorkbook, interpretTyped } from "../../test/support/fake-excel";
import { bigInventory, INVENTORY_HEADER, newWorkbook } from "../../test/support/excel-helpers";
import { defaultSheets, insertSample, PANE_SETTING, readWorkbookState } from "./workbook";
import { fixedPlan, outcomeOf, REPORT_PROPERTY, REPORT_SETTING, writeReport } from "./write";
import type { SheetLayout } from "../report";
import { STATUS_WORD } from "../report";
import { SAMPLE_INVENTORY } from "../sample";

const NOW = new Date("2025-03-01T10:00:00Z");
const FOUR_MB = 4 * MB;

/** The sheet names in workbook order. */
const names = (wb: FakeWorkbook) => wb.sheets.map((s) => s.name);

function findValue(wb: FakeWorkbook, sheet: string, value: string): { row: number; col: number } {
  const s = wb.sheetByName(sheet)!;
  for (let r = 0; r < s.cells.length; r++) {
    const row = s.cells[r] ?? [];
    for (let c = 0; c < row.length; c++) if (row[c] === value) return { row: r, col: c };
  }
  throw new Error(`"${value}" not found on ${sheet}`);
}

function layout(name: string, values: (string | number | boolean | null)[][], role: SheetLayout["role"] = "summary"): SheetLayout {
  return {
    name,
    role,
    values,
    numberFormats: [],
    styles: [{ rect: { row: 0, col: 0, rows: 1, cols: values[0].length }, style: { bold: true, fill: "1F4E78", fontColor: "FFFFFF" } }],
    merges: [],
    columnWidths: values[0].map(() => 12),
    freezeRows: 1,
    print: { landscape: true, fitToWidth: 1 },
    dataBars: [],
  };
}

describe("the fake models Excel's typing rules (so the text tests below can fail)", () => {
  test.each([
    ["=1+1", true],
    ["+SUM(A1)", true],
    ["@x", true],
    ["-A1", true],
  ])("%s written to a General cell becomes a formula", async (text, formula) => {
    const { wb, host } = newWorkbook();
    wb.addSheet("S");
    await host.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("S").getRange("A1").values = [[text]];
      await ctx.sync();
    });
    expect(wb.sheetByName("S")!.isFormula(0, 0)).toBe(formula);
  });

  test('"-3" and "00123" become numbers in a General cell, stay text in a Text ("@") cell', async () => {
    expect(interpretTyped("-3")).toEqual({ value: -3, formula: false });
    const { wb, host } = newWorkbook();
    wb.addSheet("S");
    await host.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("S");
      ws.getRange("A1:B1").values = [["-3", "00123"]];
      const b = ws.getRange("A2:B2");
      b.numberFormat = [["@", "@"]];
      b.values = [["-3", "00123"]];
      await ctx.sync();
    });
    const s = wb.sheetByName("S")!;
    expect([s.value(0, 0), s.value(0, 1)]).toEqual([-3, 123]);
    expect([s.value(1, 0), s.value(1, 1)]).toEqual(["-3", "00123"]);
  });

  test("reading a property that was not loaded throws, as in Office.js", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("S", [["a"]]);
    await expect(
      host.run(async (ctx) => {
        const r = ctx.workbook.worksheets.getItem("S").getRange("A1");
        await ctx.sync();
        return r.values;
      }),
    ).rejects.toMatchObject({ code: "PropertyNotLoaded" });
  });
});

describe("readSheet", () => {
  test("reads the used range with its offset, values only", async () => {
    const { wb, host } = newWorkbook();
    const s = wb.addSheet("Inv");
    // Data from C4: row 4, column C.
    const grid = [INVENTORY_HEADER, ["ann", "PC1", "EX1", 2016, "Outlook", "Standard"]];
    grid.forEach((row, r) => row.forEach((v, c) => s.setCell(3 + r, 2 + c, v)));
    const read = await readSheet(host, "Inv");
    expect(read.firstRow).toBe(4);
    expect(read.firstColumn).toBe(2);
    expect(read.grid).toEqual(grid);
    const loads = wb.syncLog.flatMap((l) => l.commands).filter((c) => c.includes("load("));
    expect(loads.some((c) => /numberFormat|formulas|text|\*/.test(c))).toBe(false);
  });

  test("an empty sheet reads as an empty grid; a missing sheet is explained", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("Empty");
    expect((await readSheet(host, "Empty")).grid).toEqual([]);
    await expect(readSheet(host, "Nope")).rejects.toThrow(/no sheet named "Nope"/);
  });

  test("a chunk Excel refuses as too large is read again in halves; every chunk stays under the limit", async () => {
    const { wb, host } = newWorkbook();
    const rows: string[][] = [["User", "Notes"]];
    // Short rows first (they size the chunks), then rows with 2,000-character notes.
    for (let i = 0; i < 20_000; i++) rows.push([`u${i}`, i < 10_000 ? "x" : "n".repeat(2000)]);
    wb.addSheet("Long", rows);
    const read = await readSheet(host, "Long");
    expect(read.grid.length).toBe(rows.length);
    expect(read.grid[15_000][1]).toBe("n".repeat(2000));
    const refused = wb.syncLog.filter((l) => l.responseBytes > 5 * MB);
    expect(refused.length).toBeGreaterThan(0); // the fake did refuse one...
    for (const b of read.chunkBytes) expect(b).toBeLessThan(5 * MB); // ...and it was read in smaller parts
  });
});

describe("a 50,000-row inventory", () => {
  const ROWS = 50_000;
  let outcome: Awaited<ReturnType<typeof auditWorkbook>>;
  let wb: FakeWorkbook;
  let before: string;

  beforeAll(async () => {
    const made = newWorkbook();
    wb = made.wb;
    wb.addSheet("Inventory", bigInventory(ROWS));
    before = wb.snapshot("Inventory");
    outcome = await auditWorkbook(made.host, { inventorySheet: "Inventory" }, { now: NOW });
  }, 60_000);

  test("is read in chunks of a few thousand rows, each response under 4 MB", () => {
    const first = firstChunkRows(INVENTORY_HEADER.length, ROWS + 1);
    expect(outcome.inventory.chunks[0]).toBe(first);
    expect(outcome.inventory.chunks.reduce((a, b) => a + b, 0)).toBe(ROWS + 1);
    for (const b of outcome.inventory.chunkBytes) expect(b).toBeLessThan(FOUR_MB);
    // syncs: one to find the sheet, one to size its used range, then one per chunk.
    expect(outcome.inventory.syncs).toBe(2 + outcome.inventory.chunks.length);
    expect(outcome.inventory.syncs).toBeLessThanOrEqual(Math.ceil((ROWS + 1) / first) + 2);
  });

  test("needs at most rows / chunk + a handful of syncs in all (read, write, swap)", () => {
    const readChunk = outcome.inventory.chunks[0];
    const writeRows = outcome.written.chunks.length ? Math.max(...outcome.written.chunks) : 1;
    const totalWritten = outcome.written.chunks.reduce((a, b) => a + b, 0);
    const bound = Math.ceil((ROWS + 1) / readChunk) + Math.ceil(totalWritten / writeRows) + 6;
    expect(wb.syncs).toBeLessThanOrEqual(bound);
    for (const log of wb.syncLog) {
      expect(log.requestBytes).toBeLessThan(FOUR_MB);
      expect(log.responseBytes).toBeLessThan(FOUR_MB);
    }
    for (const b of outcome.written.batchBytes) expect(b).toBeLessThanOrEqual(CHUNK_TARGET_BYTES);
  });

  test("never syncs per cell: each write sync carries whole chunks, with calculation and screen updating suspended", () => {
    const writes = wb.syncLog.filter((l) => l.commands.includes("range.values"));
    expect(writes.length).toBe(outcome.written.batchBytes.length);
    expect(writes[0].commands).toContain("application.suspendScreenUpdatingUntilNextSync");
    const formats = wb.syncLog.filter((l) => l.commands.includes("freezePanes.freezeRows(1)"));
    expect(formats).toHaveLength(1);
    expect(formats[0].commands).toContain("application.suspendScreenUpdatingUntilNextSync");
    for (const w of [...writes, ...formats]) {
      expect(w.commands).toContain("application.suspendApiCalculationUntilNextSync");
      // number formats before values, pairwise
      const seq = w.commands.filter((c) => c === "range.values" || c === "range.numberFormat");
      for (let i = 0; i < seq.length; i += 2) expect(seq.slice(i, i + 2)).toEqual(["range.numberFormat", "range.values"]);
    }
  });

  test("leaves the inventory untouched and writes the report", () => {
    expect(wb.snapshot("Inventory")).toBe(before);
    expect(names(wb)).toEqual(["Inventory", "CAL Summary", "CAL Assignments"]);
    const assignments = wb.sheetByName("CAL Assignments")!;
    expect(assignments.usedRect()!.rows).toBe(outcome.report.plan.holdings.length + 1);
  });
});

describe("auditWorkbook on the sample", () => {
  async function sampleWorkbook() {
    const made = newWorkbook();
    made.wb.addSheet("Sheet1");
    await insertSample(made.host, "inventory");
    await insertSample(made.host, "owned");
    return made;
  }

  test("writes a coloured, worded summary, keeps the inputs as they were and saves the settings", async () => {
    const { wb, host } = await sampleWorkbook();
    const inv = wb.snapshot("Inventory");
    const own = wb.snapshot("Owned Licences");
    const out = await auditWorkbook(
      host,
      { inventorySheet: "Inventory", ownedSheet: "Owned Licences", paneSettings: { inventorySheet: "Inventory", ownedSheet: "Owned Licences", mode: "auto" } },
      { now: NOW },
    );
    expect(names(wb)).toEqual(["Sheet1", "Inventory", "Owned Licences", "CAL Summary", "CAL Assignments", "CAL Problems"]);
    expect(wb.snapshot("Inventory")).toBe(inv);
    expect(wb.snapshot("Owned Licences")).toBe(own);
    // The status word in the banner, in the Bad colours (the sample is short of user CALs).
    expect(out.report.status).toBe("non-compliant");
    const banner = findValue(wb, "CAL Summary", STATUS_WORD["non-compliant"]);
    const style = wb.sheetByName("CAL Summary")!.styleAt(banner.row, banner.col);
    expect(style).toMatchObject({ fill: "#FFC7CE", fontColor: "#9C0006", bold: true });
    expect(wb.sheetByName("CAL Summary")!.merges.some((m) => m.row === banner.row)).toBe(true);
    expect(wb.sheetByName("CAL Summary")!.conditionalFormats.map((c) => c.type)).toEqual(["DataBar"]);
    expect(wb.sheetByName("CAL Assignments")!.freezeRows).toBe(1);
    expect(wb.sheetByName("CAL Summary")!.pageLayout.orientation).toBe("Landscape");
    expect(wb.activeSheet!.name).toBe("CAL Summary");
    expect(wb.sheets.every((s) => s.visibility === "Visible")).toBe(true);
    expect(wb.settings.get(PANE_SETTING)).toMatchObject({ inventorySheet: "Inventory", mode: "auto" });
    // The problem rows are the sheet's rows: "#N/A" sits on the row the report names.
    const na = findValue(wb, "Inventory", "#N/A");
    expect(out.report.problems.map((p) => p.row)).toContain(na.row + 1);
  });

  test("organisation-wide settings reach the audit and are saved with the workbook", async () => {
    const { wb, host } = await sampleWorkbook();
    const orgWide = { journalWholeOrg: true };
    const out = await auditWorkbook(
      host,
      { inventorySheet: "Inventory", orgWide, paneSettings: { inventorySheet: "Inventory", mode: "auto", orgWide } },
      { now: NOW },
    );
    expect(out.report.warnings.join(" ")).toMatch(/journal rule for the whole organisation \(R6\)/);
    // Every mailbox is Enterprise now: Enterprise CALs equal Standard CALs in the plan.
    const p = out.report.plan;
    expect(p.user.enterprise + p.device.enterprise).toBe(p.user.standard + p.device.standard);
    const state = await readWorkbookState(host);
    expect(state.settings?.orgWide).toEqual({ journalWholeOrg: true });
    expect(wb.settings.get(PANE_SETTING)).toMatchObject({ orgWide: { journalWholeOrg: true } });
  });

  test("problem rows match the sheet when the inventory does not start at A1", async () => {
    const { wb, host } = newWorkbook();
    const s = wb.addSheet("Inv");
    SAMPLE_INVENTORY.forEach((row, r) => row.forEach((v, c) => v !== "" && s.setCell(4 + r, 1 + c, v)));
    const out = await auditWorkbook(host, { inventorySheet: "Inv" }, { now: NOW });
    const na = findValue(wb, "Inv", "#N/A");
    const naProblem = out.report.problems.find((p) => p.row === na.row + 1);
    expect(naProblem).toBeDefined();
  });

  test("problems on an owned-licences table that does not start at A1 name its real cells", async () => {
    const { wb, host } = newWorkbook();
    const inv = wb.addSheet("Inv");
    SAMPLE_INVENTORY.forEach((row, r) => row.forEach((v, c) => v !== "" && inv.setCell(r, c, v)));
    const own = wb.addSheet("Owned");
    // Header on sheet row 3, from column C; the bad quantity sits in F5.
    const table = [
      ["Type", "Edition", "Version", "Quantity"],
      ["User", "Standard", "2016", 10],
      ["Device", "Standard", "2016", "lots"],
    ];
    table.forEach((row, r) => row.forEach((v, c) => own.setCell(2 + r, 2 + c, v)));
    const out = await auditWorkbook(host, { inventorySheet: "Inv", ownedSheet: "Owned" }, { now: NOW });
    const p = out.report.problems.find((x) => x.sheet === "Owned")!;
    expect(p).toMatchObject({ row: 5, column: "Quantity" });
    expect(p.message).toMatch(/^F5: quantity "lots"/);
  });

  test("re-audit replaces only its own sheets", async () => {
    const { wb, host } = await sampleWorkbook();
    const req = { inventorySheet: "Inventory", ownedSheet: "Owned Licences" };
    await auditWorkbook(host, req, { now: NOW });
    const firstIds = ["CAL Summary", "CAL Assignments", "CAL Problems"].map((n) => wb.sheetByName(n)!.id);
    // The user renames one report sheet (theirs now) and adds a sheet of their own.
    wb.sheetByName("CAL Problems")!.name = "My problems";
    wb.addSheet("Notes", [["keep me"]]);
    const mine = wb.snapshot("My problems");
    const out = await auditWorkbook(host, req, { now: NOW });
    expect(out.written.replaced.sort()).toEqual(["CAL Assignments", "CAL Summary"]);
    expect(names(wb)).toEqual(["Sheet1", "Inventory", "Owned Licences", "My problems", "Notes", "CAL Summary", "CAL Assignments", "CAL Problems"]);
    for (const id of firstIds.slice(0, 2)) expect(wb.sheetById(id)).toBeUndefined();
    expect(wb.snapshot("My problems")).toBe(mine);
    expect(wb.sheetByName("Notes")!.value(0, 0)).toBe("keep me");
    const record = wb.settings.get(REPORT_SETTING) as { runId: string; sheets: { name: string }[] };
    expect(record.sheets.map((s) => s.name)).toEqual(["CAL Summary", "CAL Assignments", "CAL Problems"]);
    for (const n of ["CAL Summary", "CAL Assignments", "CAL Problems"]) {
      expect(wb.sheetByName(n)!.customProperties.get(REPORT_PROPERTY.toLowerCase())!.value).toBe(record.runId);
    }
  });

  test("a user's sheet with the report's name is never overwritten: the report becomes (2)", async () => {
    const { wb, host } = await sampleWorkbook();
    wb.addSheet("CAL Summary", [["my own summary"]]);
    const theirs = wb.snapshot("CAL Summary");
    const out = await auditWorkbook(host, { inventorySheet: "Inventory" }, { now: NOW });
    expect(out.written.sheetNames).toEqual(["CAL Summary (2)", "CAL Assignments", "CAL Problems"]);
    expect(wb.snapshot("CAL Summary")).toBe(theirs);
    expect(wb.sheetByName("CAL Summary (2)")!.value(0, 0)).toBe("Exchange CAL audit");
    // Re-audit: "(2)" is ours now and is replaced; the user's sheet still is not.
    const out2 = await auditWorkbook(host, { inventorySheet: "Inventory" }, { now: NOW });
    expect(out2.written.sheetNames[0]).toBe("CAL Summary (2)");
    expect(wb.snapshot("CAL Summary")).toBe(theirs);
    expect(names(wb).filter((n) => n.startsWith("CAL Summary"))).toEqual(["CAL Summary", "CAL Summary (2)"]);
  });

  test("a report sheet picked as the inventory is read, never replaced", async () => {
    const { wb, host } = await sampleWorkbook();
    await auditWorkbook(host, { inventorySheet: "Inventory" }, { now: NOW });
    const snap = wb.snapshot("CAL Assignments");
    // The assignments sheet has Holder / Device-like columns: use it as an (odd) inventory.
    await auditWorkbook(host, { inventorySheet: "CAL Assignments", defaultVersion: "2016" }, { now: NOW }).catch(() => undefined);
    expect(wb.snapshot("CAL Assignments")).toBe(snap);
  });

  test.each([
    ["the second values write", "range.values", 2],
    ["the data bars", "conditionalFormats.add(DataBar)", 1],
    ["the freeze panes", "freezePanes.freezeRows(1)", 1],
  ])("a sync failing at %s removes this run's sheets and keeps the previous report", async (_what, failing, nth) => {
    const { wb, host } = await sampleWorkbook();
    await auditWorkbook(host, { inventorySheet: "Inventory", ownedSheet: "Owned Licences" }, { now: NOW });
    const sheetsBefore = names(wb);
    const snaps = sheetsBefore.map((n) => wb.snapshot(n));
    const settingsBefore = JSON.stringify([...wb.settings]);
    let seen = 0;
    const syncsBefore = wb.syncs;
    wb.failWhen = ({ command }) => (command === failing && ++seen === nth ? { code: "GeneralException", message: "simulated" } : undefined);
    const err = await auditWorkbook(host, { inventorySheet: "Inventory", ownedSheet: "Owned Licences" }, { now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(StepError);
    expect((err as StepError).step).toBe("write");
    // It did get as far as adding its sheets before failing.
    expect(wb.syncLog.slice(syncsBefore).some((l) => l.commands.some((c) => c.startsWith("worksheets.add")))).toBe(true);
    expect(names(wb)).toEqual(sheetsBefore);
    expect(sheetsBefore.map((n) => wb.snapshot(n))).toEqual(snaps);
    expect(JSON.stringify([...wb.settings])).toBe(settingsBefore);
    expect(outcomeOf((err as StepError).cause)).toBe("rolled-back");
    const said = explainError((err as StepError).cause, "write", outcomeOf((err as StepError).cause)).message;
    expect(said).toMatch(/writing the report sheets \(GeneralException\)/);
    expect(said).toMatch(/sheets this run had added were removed/);
    expect(said).not.toMatch(/at .*\.ts|Error:/);
  });

  test("Cancel while writing leaves the workbook as it was", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("Inventory", bigInventory(40_000));
    const before = names(wb).map((n) => wb.snapshot(n));
    const controller = new AbortController();
    wb.afterSync = () => {
      if (wb.syncLog[wb.syncLog.length - 1].commands.includes("range.values")) controller.abort();
    };
    const err = await auditWorkbook(host, { inventorySheet: "Inventory" }, { now: NOW, signal: controller.signal }).catch((e) => e);
    expect((err as StepError).cause).toBeInstanceOf(CancelledError);
    expect(names(wb).map((n) => wb.snapshot(n))).toEqual(before);
    expect(wb.settings.size).toBe(0);
  }, 60_000);

  test("Cancel while reading stops before anything is written", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("Inventory", bigInventory(30_000));
    const controller = new AbortController();
    wb.afterSync = (n) => n === 2 && controller.abort();
    const err = await auditWorkbook(host, { inventorySheet: "Inventory" }, { signal: controller.signal }).catch((e) => e);
    expect((err as StepError).cause).toBeInstanceOf(CancelledError);
    expect(names(wb)).toEqual(["Inventory"]);
    expect(wb.syncLog.some((l) => l.commands.some((c) => c.startsWith("worksheets.add")))).toBe(false);
  });

  test("if the swap itself fails partway, the workbook still ends with one whole report", async () => {
    const { wb, host } = await sampleWorkbook();
    await auditWorkbook(host, { inventorySheet: "Inventory" }, { now: NOW });
    let failed = false;
    wb.failWhen = ({ command }) => {
      if (!failed && command === "worksheet.name=CAL Assignments") {
        failed = true;
        return { code: "GeneralException", message: "simulated" };
      }
      return undefined;
    };
    const err = await auditWorkbook(host, { inventorySheet: "Inventory" }, { now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(StepError);
    // The old report was already deleted, so the swap was finished, and the pane says so.
    expect(outcomeOf((err as StepError).cause)).toBe("completed");
    expect(explainError((err as StepError).cause, "write", "completed").message).toMatch(/new report was nevertheless written in full/);
    const n = names(wb);
    expect(n.filter((x) => x.startsWith("CALS-tmp"))).toEqual([]);
    expect(n.filter((x) => x.startsWith("CAL "))).toEqual(["CAL Summary", "CAL Assignments", "CAL Problems"]);
    expect(wb.sheets.every((s) => s.visibility === "Visible")).toBe(true);
  });
});

describe("strings stay text", () => {
  const INJECTIONS = ["=1+1", "+SUM(A1)", "-3", "@x", '=HYPERLINK("http://x")', "\t=1", "\r=1", "0042", "TRUE", "#N/A", "1e5", "50%"];

  test("every injection string is written as literal text, in a Text cell", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("Data");
    const values: (string | number | null)[][] = [["Text", "Number"], ...INJECTIONS.map((s, i) => [s, i])];
    await writeReport(host, fixedPlan([layout("Injections", values)]));
    const s = wb.sheetByName("Injections")!;
    INJECTIONS.forEach((text, i) => {
      expect(s.value(i + 1, 0)).toBe(text);
      expect(s.isFormula(i + 1, 0)).toBe(false);
      expect(s.numberFormat(i + 1, 0)).toBe("@");
      expect(s.value(i + 1, 1)).toBe(i); // numbers stay numbers
    });
  });

  test("an inventory holder named like a formula reaches the ledger as text", async () => {
    const { wb, host } = newWorkbook();
    const s = wb.addSheet("Inventory");
    const rows = [INVENTORY_HEADER, ["=1+1", "PC1", "EX1", 2016, "Outlook", "Standard"], ["+SUM(A1)", "PC2", "EX1", 2016, "Outlook", "Standard"]];
    // Typed into Text cells, as a careful export would leave them.
    rows.forEach((row, r) =>
      row.forEach((v, c) => {
        s.setFormat(r, c, "@");
        s.setCell(r, c, v);
      }),
    );
    await auditWorkbook(host, { inventorySheet: "Inventory", mode: "per-user" }, { now: NOW });
    const ledger = wb.sheetByName("CAL Assignments")!;
    for (const text of ["=1+1", "+SUM(A1)"]) {
      const at = findValue(wb, "CAL Assignments", text);
      expect(ledger.isFormula(at.row, at.col)).toBe(false);
    }
  });
});

describe("sample sheets", () => {
  test("never over an existing sheet: Inventory (2)", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("Inventory", [["mine"]]);
    const mine = wb.snapshot("Inventory");
    expect(await insertSample(host, "inventory")).toBe("Inventory (2)");
    expect(await insertSample(host, "inventory")).toBe("Inventory (3)");
    expect(await insertSample(host, "owned")).toBe("Owned Licences");
    expect(wb.snapshot("Inventory")).toBe(mine);
    expect(wb.sheetByName("Inventory (2)")!.allValues().length).toBe(SAMPLE_INVENTORY.length);
    expect(wb.activeSheet!.name).toBe("Owned Licences");
  });

  test("readWorkbookState lists the sheets and the saved settings", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("A");
    wb.addSheet("B");
    wb.settings.set(PANE_SETTING, { inventorySheet: "B", mode: "mixed", prices: { userStandard: "80" } });
    const state = await readWorkbookState(host);
    expect(state.sheets).toEqual(["A", "B"]);
    expect(state.active).toBe("A");
    expect(state.settings).toMatchObject({ inventorySheet: "B", mode: "mixed", prices: { userStandard: "80" } });
  });
});

describe("explainError", () => {
  test("speaks plainly, with what to do", () => {
    expect(explainError({ code: "InvalidOperationInCellEditMode", message: "x" }, "write").message).toMatch(/Press Enter or Esc/);
    expect(explainError(new CancelledError(), "read").message).toBe("Cancelled. The workbook is as it was.");
    expect(explainError(new TypeError("boom at foo.ts:12"), "audit").message).not.toMatch(/foo\.ts/);
  });
});

describe("defaultSheets", () => {
  const state = (sheets: string[], active: string | null, extra: Partial<import("./workbook").WorkbookState> = {}) => ({
    sheets,
    active,
    reportSheets: [],
    settings: null,
    ...extra,
  });

  test("a sheet named Inventory, else the active sheet; owned licences by their usual names, else none", () => {
    expect(defaultSheets(state(["Data", "inventory", "Owned Licenses"], "Data"))).toEqual({ inventory: "inventory", owned: "Owned Licenses" });
    expect(defaultSheets(state(["Data", "Licences"], "Data"))).toEqual({ inventory: "Data", owned: "Licences" });
    expect(defaultSheets(state(["Data", "Other"], "Other"))).toEqual({ inventory: "Other", owned: "" });
  });

  test("the saved choice wins while its sheet exists; report sheets are never the default inventory", () => {
    const saved = { inventorySheet: "Data", ownedSheet: "" };
    expect(defaultSheets(state(["Inventory", "Data", "Owned"], "Inventory", { settings: saved }))).toEqual({ inventory: "Data", owned: "" });
    expect(defaultSheets(state(["Inventory", "Owned"], "Inventory", { settings: { inventorySheet: "Gone" } }))).toEqual({
      inventory: "Inventory",
      owned: "Owned",
    });
    expect(defaultSheets(state(["CAL Summary", "Data"], "CAL Summary", { reportSheets: ["CAL Summary"] })).inventory).toBe("Data");
  });
});

describe("writing a large sheet", () => {
  test("is cut into batches under 4 MB, one sync each, plus a handful", async () => {
    const { wb, host } = newWorkbook();
    wb.addSheet("Data");
    const rows: (string | number)[][] = [["Holder", "Rows covered", "Count"]];
    for (let i = 0; i < 120_000; i++) rows.push([`holder-${i}@contoso.example`, `${i * 3 + 2}-${i * 3 + 4}`, 3]);
    const out = await writeReport(host, fixedPlan([layout("Big", rows, "assignments")]));
    expect(out.batchBytes.length).toBeGreaterThan(1);
    expect(out.chunks.reduce((a, b) => a + b, 0)).toBe(rows.length);
    for (const l of wb.syncLog) expect(l.requestBytes).toBeLessThan(FOUR_MB);
    // look, one per batch, formats, swap
    expect(out.syncs).toBe(1 + out.batchBytes.length + 2);
    expect(wb.sheetByName("Big")!.allValues()).toEqual(rows);
  }, 60_000);
});
