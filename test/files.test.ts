/**
 * src/files: reading inputs into grids and writing SheetLayouts with ExcelJS, tested with
 * files written here and hand-made layouts (no engine needed).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ExcelJS from "exceljs";
import { decodeText, FileInputError, guessDelimiter, openCsvFile, parseCsv, readInputFile } from "../src/files";
import { OutputPathError, planSheetNames, samePath, uniqueSheetName, wrappedLines, writeReportWorkbook } from "../src/files";
import type { SheetLayout } from "../src/report";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-files-test-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
const file = (name: string) => path.join(dir, name);

describe("CSV", () => {
  test("BOM stripped, CRLF, quotes with delimiters and line breaks inside, trailing blank lines dropped", () => {
    const text = '\ufeffUser,Device,Notes\r\n"Smith, John",LAP-1,"two\r\nlines"\r\nbob,,\r\n\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      ["User", "Device", "Notes"],
      ["Smith, John", "LAP-1", "two\r\nlines"],
      ["bob", "", ""],
    ]);
  });

  test("delimiter guessed among comma, semicolon and tab", () => {
    expect(guessDelimiter("User;Device;Server\r\na;b;c\r\n")).toBe(";");
    expect(guessDelimiter("User\tDevice\tServer\na\tb\tc\n")).toBe("\t");
    expect(guessDelimiter("User,Device\na,b\n")).toBe(",");
    // a comma inside quotes does not make a semicolon file comma-separated
    expect(guessDelimiter('User;Notes\n"Smith, John";"a, b, c"\nx;y\n')).toBe(";");
    expect(parseCsv("User;Version\nalice;2016\n")).toEqual([
      ["User", "Version"],
      ["alice", "2016"],
    ]);
  });

  test("values stay text: no number or formula conversion", () => {
    expect(parseCsv("a,b,c,d\n=1+1,007,-3,@cmd\n")[1]).toEqual(["=1+1", "007", "-3", "@cmd"]);
  });

  test("UTF-16 with a BOM (Windows PowerShell Out-File) and UTF-8 with a BOM", () => {
    const text = "User,Device\r\nzoë,LAP-1\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeText(le)).toBe(text);
    expect(decodeText(be)).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
  });

  test("a file bigger than one parsing chunk: quoted commas, quotes and line breaks across the chunk boundaries", () => {
    // About 2.5 MB: the parser works in 1 MB chunks, and rows must come out whole and in order.
    const expected: string[][] = [["User", "Device", "Note"]];
    for (let i = 0; i < 60_000; i++) expected.push([`user${i}`, `PC-${i}`, i % 3 === 0 ? `says "hi", then\nleaves ${i}` : `plain ${i}`]);
    const text = expected.map((row) => row.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",")).join("\r\n") + "\r\n";
    expect(text.length).toBeGreaterThan(2 * (1 << 20));
    expect(parseCsv(text)).toEqual(expected);
  });

  test("openCsvFile hands on the rows readInputFile would give, and the same sheet name", async () => {
    const f = file("Streamed Export.csv");
    fs.writeFileSync(f, '\ufeffUser;Device\r\nalice;LAP-1\r\n"bob; jr";LAP-2\r\n\r\n');
    const rows: string[][] = [];
    const progress: number[] = [];
    const csv = openCsvFile(f);
    csv.eachRow(
      (row) => rows.push(row),
      (done, total) => progress.push(done / total),
    );
    const input = await readInputFile(f);
    expect(csv.name).toBe(input.sheets[0].name);
    // The stream also hands on the blank last line, which the grid drops: both read as blank rows.
    expect(rows.slice(0, 3)).toEqual(input.sheets[0].grid);
    expect(rows.slice(3).every((r) => r.join("") === "")).toBe(true);
    expect(progress[progress.length - 1]).toBe(1);
    expect(() => openCsvFile(file("missing.csv"))).toThrow(FileInputError);
    fs.writeFileSync(file("zip.csv"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    expect(() => openCsvFile(file("zip.csv"))).toThrow(/zip package/);
  });

  test("readInputFile: one sheet named after the file", async () => {
    const f = file("Access Export.csv");
    fs.writeFileSync(f, "User,Device\nalice,LAP-1\n");
    const input = await readInputFile(f);
    expect(input.kind).toBe("csv");
    expect(input.sheets).toEqual([
      {
        name: "Access Export",
        grid: [
          ["User", "Device"],
          ["alice", "LAP-1"],
        ],
      },
    ]);
  });
});

describe("xlsx reading", () => {
  let book: string;
  beforeAll(async () => {
    book = file("cells.xlsx");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Inventory");
    ws.addRow(["User", "Device", "n"]);
    ws.getCell("A2").value = { richText: [{ text: "al" }, { font: { bold: true }, text: "ice" }] };
    ws.getCell("B2").value = { text: "LAP-1", hyperlink: "http://x" };
    ws.getCell("C2").value = { formula: "2+3", result: 5 };
    ws.getCell("A3").value = new Date(Date.UTC(2024, 0, 15, 12));
    ws.getCell("C3").value = { formula: '"x"&"y"', result: "xy" };
    ws.getCell("A4").value = { error: "#N/A" } as ExcelJS.CellErrorValue;
    ws.getCell("C6").value = 7;
    wb.addWorksheet("Owned").addRow(["Type", "Quantity"]);
    await wb.xlsx.writeFile(book);
  });

  const expected = [["User", "Device", "n"], ["alice", "LAP-1", 5], [45306.5, null, "xy"], ["#N/A"], [], [null, null, 7]];

  test("an ExcelJS-made workbook: values as range.values gives them, sheets in tab order, the package kept", async () => {
    const input = await readInputFile(book);
    expect(input.sheets.map((s) => s.name)).toEqual(["Inventory", "Owned"]);
    expect(input.sheets[0].grid).toEqual(expected);
    expect(input.bytes?.length).toBe(fs.statSync(book).size);
  });

  test("unreadable files: one-line FileInputError naming the file", async () => {
    const fake = file("inventory.xlsx");
    fs.writeFileSync(fake, "User,Device\n");
    await expect(readInputFile(fake)).rejects.toThrow(
      new FileInputError("Cannot read inventory.xlsx: it is not an .xlsx workbook (not a zip package); save it as .xlsx or .csv"),
    );
    const broken = file("broken.xlsx");
    fs.writeFileSync(broken, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]));
    await expect(readInputFile(broken)).rejects.toThrow(/^Cannot read broken\.xlsx: the file is damaged or incomplete/);
    await expect(readInputFile(file("missing.csv"))).rejects.toThrow("Cannot read missing.csv: no such file");
    await expect(readInputFile(dir + path.sep)).rejects.toThrow(/folder/);
    const xls = file("old.xls");
    fs.writeFileSync(xls, "x");
    await expect(readInputFile(xls)).rejects.toThrow(/Excel 97-2003 workbook \(\.xls\), which CALS does not read/);
    for (const f of [fake, broken]) {
      const err = await readInputFile(f).catch((e) => e);
      expect(err).toBeInstanceOf(FileInputError);
      expect(String(err.message).split("\n")).toHaveLength(1);
    }
  });
});

/** A small layout using every field. */
function layout(name = "CAL Summary"): SheetLayout {
  return {
    name,
    role: "summary",
    values: [
      ["Exchange CAL audit", null, null, null],
      ["NOT COMPLIANT", null, null, null],
      ["Type", "Required", "Owned", "Note"],
      ["User", 12, 10, "=1+1"],
      ["Device", 3, 5, "+SUM(A1)"],
      ["-3", 1234.5, 0, "@cmd a long note that needs to wrap over more than one line in its column"],
    ],
    numberFormats: [{ rect: { row: 3, col: 1, rows: 3, cols: 2 }, format: "#,##0.00" }],
    styles: [
      { rect: { row: 0, col: 0, rows: 1, cols: 1 }, style: { bold: true, fontSize: 14 } },
      { rect: { row: 1, col: 0, rows: 1, cols: 4 }, style: { fill: "FFC7CE", fontColor: "9C0006", bold: true, align: "center" } },
      { rect: { row: 2, col: 0, rows: 1, cols: 4 }, style: { fill: "1F4E78", fontColor: "FFFFFF", bold: true, borderBottom: true } },
      { rect: { row: 2, col: 0, rows: 1, cols: 1 }, style: { italic: true } }, // later wins, property by property
      { rect: { row: 3, col: 3, rows: 3, cols: 1 }, style: { wrap: true } },
    ],
    merges: [{ row: 1, col: 0, rows: 1, cols: 4 }],
    columnWidths: [12, 10, 10, 30],
    freezeRows: 3,
    print: { landscape: true, fitToWidth: 1, titleRows: { row: 2, col: 0, rows: 1, cols: 4 } },
    dataBars: [{ rect: { row: 3, col: 1, rows: 3, cols: 2 }, color: "5B9BD5" }],
  };
}

describe("writing layouts", () => {
  test("every SheetLayout field reaches the workbook", async () => {
    const out = file("layout.xlsx");
    const res = await writeReportWorkbook({ layouts: [layout()], out });
    expect(res.sheetNames).toEqual(["CAL Summary"]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("CAL Summary")!;

    // values: strings as strings, never formulas
    for (const [addr, v] of [
      ["D4", "=1+1"],
      ["D5", "+SUM(A1)"],
      ["A6", "-3"],
    ] as const) {
      expect(ws.getCell(addr).value).toBe(v);
      expect(ws.getCell(addr).type).toBe(ExcelJS.ValueType.String);
    }
    expect(String(ws.getCell("D6").value).startsWith("@cmd")).toBe(true);
    expect(ws.getCell("B4").value).toBe(12);
    expect(ws.getCell("B6").numFmt).toBe("#,##0.00");

    // fills, fonts, borders, alignment
    const status = ws.getCell("A2");
    expect(status.value).toBe("NOT COMPLIANT");
    expect(status.fill).toMatchObject({ type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } });
    expect(status.font).toMatchObject({ bold: true, color: { argb: "FF9C0006" } });
    expect(status.alignment).toMatchObject({ horizontal: "center" });
    expect(ws.getCell("A1").font).toMatchObject({ bold: true, size: 14 });
    const header = ws.getCell("A3");
    expect(header.font).toMatchObject({ bold: true, italic: true, color: { argb: "FFFFFFFF" } });
    expect(header.fill).toMatchObject({ fgColor: { argb: "FF1F4E78" } });
    expect(header.border?.bottom?.style).toBe("thin");
    expect(ws.getCell("D6").alignment).toMatchObject({ wrapText: true });
    expect(ws.getRow(6).height).toBeGreaterThan(15); // wrapped text gets room

    // merges, widths, frozen header, page setup, print titles
    expect(ws.getCell("B2").isMerged).toBe(true);
    expect((ws.model as unknown as { merges: string[] }).merges).toContain("A2:D2");
    expect(ws.getColumn(1).width).toBe(12);
    expect(ws.getColumn(4).width).toBe(30);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printTitlesRow).toBe("3:3");

    // data bars
    const cf = (ws as unknown as { conditionalFormattings: { ref: string; rules: { type: string; color?: { argb: string } }[] }[] }).conditionalFormattings;
    expect(cf).toHaveLength(1);
    expect(cf[0].ref).toBe("B4:C6");
    expect(cf[0].rules[0].type).toBe("dataBar");
    expect(cf[0].rules[0].color?.argb).toBe("FF5B9BD5");
  });

  test("a user's sheet is never overwritten: CAL Summary (2), (3)…", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet("CAL Summary").getCell("A1").value = "mine";
    book.addWorksheet("cal summary (2)").getCell("A1").value = "mine too";
    const base = new Uint8Array(await book.xlsx.writeBuffer());
    const names = planSheetNames(["CAL Summary", "cal summary (2)"], ["CAL Summary", "CAL Assignments"]);
    expect(names).toEqual(["CAL Summary (3)", "CAL Assignments"]);
    const out = file("clash.xlsx");
    const res = await writeReportWorkbook({ base, layouts: [layout(names[0])], out });
    expect(res.sheetNames).toEqual(["CAL Summary (3)"]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet("CAL Summary")!.getCell("A1").value).toBe("mine");
    expect(wb.getWorksheet("CAL Summary (3)")!.getCell("A2").value).toBe("NOT COMPLIANT");
  });

  test("sheet names: Excel's 31 characters and forbidden characters", () => {
    const long = "A very long report sheet name that goes on";
    expect(uniqueSheetName([], long)).toHaveLength(31);
    const second = uniqueSheetName([long.slice(0, 31)], long);
    expect(second.length).toBeLessThanOrEqual(31);
    expect(second.endsWith(" (2)")).toBe(true);
    expect(uniqueSheetName([], "a/b:c?")).toBe("a b c");
  });

  test("grids for a new workbook (CSV input) are written as plain values", async () => {
    const out = file("grid.xlsx");
    await writeReportWorkbook({
      grids: [
        {
          name: "inventory",
          grid: [
            ["User", "n"],
            ["=1+1", "007"],
            ["@x", 5],
          ],
        },
      ],
      layouts: [],
      out,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("inventory")!;
    expect(ws.getCell("A2").value).toBe("=1+1");
    expect(ws.getCell("A2").type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell("B2").value).toBe("007");
    expect(ws.getCell("B3").value).toBe(5);
  });

  test("a failed write leaves nothing behind, and never the input", async () => {
    const target = file("a-folder.xlsx");
    fs.mkdirSync(target);
    await expect(writeReportWorkbook({ layouts: [layout()], out: target })).rejects.toThrow(OutputPathError);
    await expect(writeReportWorkbook({ layouts: [layout()], out: file("nope/x.xlsx") })).rejects.toThrow(/does not exist/);
    const input = file("input.xlsx");
    fs.writeFileSync(input, "original");
    await expect(writeReportWorkbook({ layouts: [layout()], out: path.join(dir, "sub", "..", "input.xlsx"), inputs: [input] })).rejects.toThrow(
      /is the input file/,
    );
    expect(fs.readFileSync(input, "utf8")).toBe("original");
    expect(fs.readdirSync(dir).filter((f) => f.includes(".cals-tmp-"))).toEqual([]);
  });

  test("an existing output is refused, and with force replaced whole (rename over it)", async () => {
    const out = file("replace.xlsx");
    fs.writeFileSync(out, "old");
    await expect(writeReportWorkbook({ layouts: [layout()], out })).rejects.toThrow(/already exists.*--force/);
    expect(fs.readFileSync(out, "utf8")).toBe("old");
    await writeReportWorkbook({ layouts: [layout()], out, force: true });
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe("PK");
  });

  test("samePath and wrappedLines", () => {
    expect(samePath(file("x.csv"), path.join(dir, ".", "x.csv"))).toBe(true);
    expect(samePath(file("x.csv"), file("y.csv"))).toBe(false);
    expect(wrappedLines("short", 30)).toBe(1);
    expect(wrappedLines("one two three", 9)).toBe(2);
    expect(wrappedLines("one two three four", 9)).toBe(3);
    expect(wrappedLines("a\nb\nc", 30)).toBe(3);
    expect(wrappedLines("x".repeat(25), 10)).toBe(3);
  });
});
