/**
 * Any grid, written and read back through every path, gives the same inventory: CSV read
 * whole and streamed, an .xlsx written by CALS's own writer and one written by ExcelJS
 * (shared strings, as Excel writes), each read by the one xlsx reader, then audited.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import ExcelJS from "exceljs";
import { openCsvFile, readInputFile, writeReportWorkbook } from "../src/files";
import { readInventory } from "../src/audit";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-readers-prop-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const HEADER = ["User", "Device", "Server", "Version", "Edition"];
/** Cell text people type: names with accents, quotes, commas, semicolons, line breaks, spaces. */
const text = fc.oneof(
  fc.constantFrom(
    "",
    "alice",
    "Bob",
    "zoë",
    "renè",
    'say "hi"',
    "Smith, John",
    "a;b",
    "two\nlines",
    " padded ",
    "=1+1",
    "#N/A",
    "2016",
    "2010",
    "SE",
    "Enterprise",
    "LAP-1",
  ),
  fc.string({ unit: fc.constantFrom("a", "b", "é", "ß", ",", ";", '"', " ", "\n", "1", "_", "x", "-"), maxLength: 8 }),
);
const grid = fc.array(fc.array(text, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 12 });

function csv(rows: string[][]): string {
  const field = (v: string) => (/[",;\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** The inventory as comparable JSON (typed arrays as plain arrays). */
function inventoryOf(cells: readonly (readonly unknown[])[]): string {
  const inv = readInventory(cells as never, { sheet: "Inventory", defaultVersion: "2016" });
  return JSON.stringify(inv, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
}

let n = 0;
test("every path gives the same inventory", async () => {
  await fc.assert(
    fc.asyncProperty(grid, async (body) => {
      const rows = [HEADER, ...body];
      const id = n++;
      const csvFile = path.join(dir, `g${id}.csv`);
      fs.writeFileSync(csvFile, csv(rows));
      const whole = (await readInputFile(csvFile)).sheets[0].grid;
      const streamed: string[][] = [];
      openCsvFile(csvFile).eachRow((r) => streamed.push(r));
      const ours = path.join(dir, `g${id}.xlsx`);
      await writeReportWorkbook({ grids: [{ name: "Inventory", grid: rows }], layouts: [], out: ours });
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Inventory");
      rows.forEach((r) => ws.addRow(r.map((v) => (v === "" ? null : v))));
      const theirs = path.join(dir, `g${id}-exceljs.xlsx`);
      await wb.xlsx.writeFile(theirs);
      const expected = inventoryOf(rows);
      expect(inventoryOf(whole)).toBe(expected);
      expect(inventoryOf(streamed)).toBe(expected);
      expect(inventoryOf((await readInputFile(ours)).sheets[0].grid)).toBe(expected);
      expect(inventoryOf((await readInputFile(theirs)).sheets[0].grid)).toBe(expected);
    }),
    { numRuns: 40 },
  );
}, 120_000);
