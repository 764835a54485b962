/**
 * Files made by other programs (test/fixtures/files, made by scripts/make-fixtures.py with
 * openpyxl and LibreOffice): read as openpyxl reads them, audited the same by every path,
 * refused with one honest line when they are not inventories, and written back with --out
 * keeping every part of the user's package byte for byte.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import ExcelJS from "exceljs";
import { unzipSync } from "fflate";
import { runCals as run } from "./support/cli";
import { readInputFile, writeReportWorkbook } from "../src/files";
import { NO_RESULT } from "../src/sheet";

const FIXTURES = path.resolve(__dirname, "fixtures", "files");
const fixture = (name: string) => path.join(FIXTURES, name);
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-fixtures-test-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The JSON report without the time it was made. */
function report(stdout: string): Record<string, unknown> {
  const j = JSON.parse(stdout);
  delete j.auditedAt;
  return j;
}

function trimRow(row: readonly unknown[]): unknown[] {
  const r = row.map((c) => (c === undefined || c === NO_RESULT ? null : c));
  while (r.length && r[r.length - 1] === null) r.pop();
  return r;
}

describe("workbooks read as openpyxl reads them", () => {
  for (const name of ["openpyxl-features.xlsx", "libreoffice.xlsx", "openpyxl-formula-no-cache.xlsx"]) {
    test(name, async () => {
      const oracle = JSON.parse(fs.readFileSync(fixture(name + ".openpyxl.json"), "utf8")) as {
        name: string;
        state: string;
        rows: unknown[][];
        merges: string[];
      }[];
      const input = await readInputFile(fixture(name));
      expect(input.sheets.map((s) => [s.name, s.visibility])).toEqual(oracle.map((s) => [s.name, s.state]));
      input.sheets.forEach((s, i) => {
        const ours = s.grid.map(trimRow);
        while (ours.length && ours[ours.length - 1].length === 0) ours.pop();
        expect(ours).toEqual(oracle[i].rows.map(trimRow));
        expect([...(s.merges ?? [])].sort()).toEqual([...oracle[i].merges].sort());
      });
    });
  }
});

describe("the audit of files from other programs", () => {
  test("openpyxl (absolute package targets, chart, comment, table, merged cells, hidden sheets)", async () => {
    const r = await run("audit", fixture("openpyxl-features.xlsx"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // the very hidden "Lookup" sheet comes first in the tab order and is never picked
    expect(j.source.sheet).toBe("Inventory");
    // the "Owned Licenses" sheet (found through absolute relationship targets) counts
    expect(j.position.reduce((n: number, l: { owned: number }) => n + l.owned, 0)).toBe(25 + 10 + 3 + 4);
    const merge = j.problems.find((p: { message: string }) => /merged/.test(p.message));
    expect(merge).toMatchObject({ sheet: "Inventory", column: "A", severity: "warning" });
    expect(merge.message).toMatch(/A88:A90.*A88 only.*rows 89-90 read column A as blank/);
    // LibreOffice's copy of the same workbook gives the same report
    const lo = await run("audit", fixture("libreoffice.xlsx"), "--json");
    expect(report(lo.stdout)).toEqual(report(r.stdout));
  });

  test("--sheet lists the sheets a person can see, never a very hidden one", async () => {
    const r = await run("audit", fixture("openpyxl-features.xlsx"), "--sheet", "Nope");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/its sheets are "Inventory", "Owned Licenses", "Chart data", "Old inventory" \(hidden\)/);
    expect(r.stderr).not.toMatch(/Lookup/);
  });

  test("a formula saved without its result is called that, not an Excel error", async () => {
    const r = await run("audit", fixture("openpyxl-formula-no-cache.xlsx"), "--json");
    const j = JSON.parse(r.stdout);
    expect(j.source).toMatchObject({ rowsRead: 2, rowsUsed: 1, rowsRejected: 1 });
    expect(j.problems[0].message).toMatch(/D3: the version is a formula saved without its result/);
    expect(j.problems[0].message).not.toMatch(/#VALUE!|Excel error/);
  });

  test("Windows-1252 CSV: zoë, zoé, rené and renè stay four people, with a warning", async () => {
    const r = await run("audit", fixture("excel-windows-1252.csv"), "--json");
    const j = JSON.parse(r.stdout);
    expect(j.plan.user.standard).toBe(6);
    expect(j.warnings[0]).toMatch(/not valid UTF-8 \(first at byte \d+, line 2\); it was read as Windows-1252/);
    const out = path.join(dir, "cp1252.xlsx");
    expect((await run("audit", fixture("excel-windows-1252.csv"), "--out", out)).code).toBe(0);
    const input = await readInputFile(out);
    expect(input.sheets[0].grid.slice(1, 5).map((r) => r[0])).toEqual(["zoë", "zoé", "rené", "renè"]);
    // told otherwise, it is read otherwise
    const latin = await run("audit", fixture("excel-utf8-bom.csv"), "--encoding", "windows-1252", "--json");
    expect(JSON.parse(latin.stdout).warnings.join(" ")).not.toMatch(/UTF-8/);
    expect((await run("audit", fixture("excel-utf8-bom.csv"), "--encoding", "klingon")).stderr).toMatch(/Unknown --encoding "klingon"/);
  });

  test("UTF-8 with BOM, UTF-16 LE (Excel's Unicode Text) and BE with BOM, UTF-16 without BOM: one report", async () => {
    const users = async (f: string) => {
      const j = JSON.parse((await run("audit", fixture(f), "--json")).stdout);
      return [j.source.rowsRead, j.plan.user.standard, j.plan.device.standard];
    };
    const expected = await users("excel-utf8-bom.csv");
    expect(expected).toEqual([6, 6, 0]);
    for (const f of ["excel-unicode-text.txt", "utf16be-bom.csv", "utf16le-no-bom.csv", "excel-windows-1252.csv"]) expect(await users(f)).toEqual(expected);
    const nobom = JSON.parse((await run("audit", fixture("utf16le-no-bom.csv"), "--json")).stdout);
    expect(nobom.warnings[0]).toMatch(/no byte-order mark.*UTF-16LE/);
  });

  test("an unbalanced quote: reported at its row, every later row still read", async () => {
    const r = await run("audit", fixture("unbalanced-quote.csv"), "--json");
    const j = JSON.parse(r.stdout);
    expect(j.source.rowsRead).toBe(1001);
    expect(j.plan.user.standard).toBe(1001);
    expect(j.problems).toEqual([expect.objectContaining({ row: 11, column: "A", severity: "warning" })]);
    expect(j.problems[0].message).toMatch(/quote .* never closed/);
  });

  test("European Excel: ';' and 1.234,50", async () => {
    const r = await run("audit", fixture("excel-european-inventory.csv"), "--owned", fixture("excel-european-owned.csv"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.source.rowsRead).toBe(86);
    // unit prices "1.234,50" (user) and "76,00" (device) from the owned table
    const perUser = j.plans.find((p: { mode: string }) => p.mode === "per-user");
    expect(perUser.cost).toBe(perUser.user.standard * 1234.5 + perUser.device.standard * 76);
    // Auto's search of the user:device trade-off finds 22 user and 16 device CALs: within the
    // 25 owned user CALs, 5 device CALs short (the list-price mix would buy 25 device CALs).
    expect(j.toBuy).toEqual([{ type: "device", edition: "standard", version: "2016", quantity: 5, cost: 380 }]);
  });

  test("every CSV gives the same report streamed (no --out) and read whole (--out)", async () => {
    for (const f of fs.readdirSync(FIXTURES).filter((n) => /\.(csv|txt)$/.test(n) && n !== "empty.csv")) {
      const streamed = await run("audit", fixture(f), "--json");
      const out = path.join(dir, `whole-${f}.xlsx`);
      const whole = await run("audit", fixture(f), "--json", "--out", out);
      expect([f, whole.code]).toEqual([f, streamed.code]);
      if (streamed.code === 0) expect(report(whole.stdout)).toEqual(report(streamed.stdout));
      else expect(whole.stderr).toBe(streamed.stderr);
    }
  });
});

describe("files that are not inventories: exit 2 with one honest line", () => {
  const cases: [string, RegExp][] = [
    ["truncated.xlsx", /^cals: Cannot read truncated\.xlsx: the file is damaged or incomplete .*copy or download it again$/],
    ["encrypted.xlsx", /^cals: Cannot read encrypted\.xlsx: the workbook is password-protected \(encrypted\)/],
    ["libreoffice.xls", /^cals: Cannot read libreoffice\.xls: it is an Excel 97-2003 workbook \(\.xls\)/],
    ["libreoffice.ods", /^cals: Cannot read libreoffice\.ods: it is an OpenDocument spreadsheet \(\.ods\)/],
    ["ods-renamed.xlsx", /^cals: Cannot read ods-renamed\.xlsx: it is an OpenDocument spreadsheet \(\.ods\) renamed to \.xlsx/],
    ["empty.csv", /^cals: Cannot read empty\.csv: the file is empty \(0 bytes\)/],
  ];
  for (const [name, message] of cases) {
    test(name, async () => {
      const r = await run("audit", fixture(name), "--json", "--fail-on-shortfall");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
    });
  }

  test("a truncated copy of a big workbook fails too (it used to exit 0 with no output)", async () => {
    const big = path.join(dir, "big.xlsx");
    const grid: (string | number)[][] = [["User", "Device", "Server", "Version"]];
    let x = 12345;
    const noise = () => (x = (x * 1103515245 + 12345) % 2147483648).toString(36);
    for (let i = 0; i < 100_000; i++) grid.push([`user${i}-${noise()}@contoso.com`, `PC-${noise()}${noise()}`, "EXCH01", 2016]);
    await writeReportWorkbook({ grids: [{ name: "Inventory", grid }], layouts: [], out: big });
    const bytes = fs.readFileSync(big);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    const cut = path.join(dir, "big-cut.xlsx");
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = await run("audit", cut, "--json", "--fail-on-shortfall");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/damaged or incomplete/);
  }, 60_000);
});

/** Every part of `original` is in `written` with the same bytes, except the amended ones. */
function expectPartsKept(original: string, written: string): void {
  const a = unzipSync(fs.readFileSync(original));
  const b = unzipSync(fs.readFileSync(written));
  const amended = new Set(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"]);
  for (const [name, bytes] of Object.entries(a)) {
    expect(b[name]).toBeDefined();
    if (!amended.has(name)) expect([name, Buffer.compare(Buffer.from(bytes), Buffer.from(b[name]))]).toEqual([name, 0]);
  }
}

describe("--out keeps the user's workbook whole", () => {
  test("openpyxl and LibreOffice workbooks: every original part byte for byte, report sheets added, read back the same", async () => {
    for (const name of ["openpyxl-features.xlsx", "libreoffice.xlsx"]) {
      const out = path.join(dir, `kept-${name}`);
      const r = await run("audit", fixture(name), "--out", out, "--json");
      expect(r.code).toBe(0);
      expectPartsKept(fixture(name), out);
      const before = await readInputFile(fixture(name));
      const after = await readInputFile(out);
      expect(after.sheets.slice(0, before.sheets.length)).toEqual(before.sheets);
      expect(after.sheets.slice(before.sheets.length).map((s) => s.name)).toEqual(["CAL Summary", "CAL Assignments", "CAL Problems"]);
      // the written workbook audits as its input did
      const again = await run("audit", out, "--json");
      expect(report(again.stdout)).toEqual(report(r.stdout));
    }
  });

  test("ExcelJS opens the result (LibreOffice's workbook and a CSV's new one)", async () => {
    for (const [input, out] of [
      [fixture("libreoffice.xlsx"), path.join(dir, "exceljs-lo.xlsx")],
      [fixture("excel-european-inventory.csv"), path.join(dir, "exceljs-csv.xlsx")],
    ]) {
      expect((await run("audit", input, "--out", out)).code).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      const summary = wb.getWorksheet("CAL Summary")!;
      expect(summary.getCell("A1").value).toBe("Exchange CAL audit");
      expect(summary.getCell("A1").font).toMatchObject({ bold: true });
      expect(wb.getWorksheet("CAL Assignments")!.rowCount).toBeGreaterThan(10);
    }
  });

  test("LibreOffice converts the result (skipped when soffice is missing)", async () => {
    const soffice = spawnSync("soffice", ["--version"], { encoding: "utf8" });
    if (soffice.error || soffice.status !== 0) {
      console.warn("LibreOffice (soffice) is not installed: the conversion check is skipped");
      return;
    }
    const out = path.join(dir, "lo-check.xlsx");
    const r = await run("audit", fixture("openpyxl-features.xlsx"), "--out", out);
    {
      expect(r.code).toBe(0);
      const conv = path.join(dir, "conv");
      fs.mkdirSync(conv, { recursive: true });
      const res = spawnSync("soffice", ["--headless", "--norestore", "--convert-to", "ods", "--outdir", conv, out], { encoding: "utf8", timeout: 120_000 });
      expect(res.status).toBe(0);
      const ods = unzipSync(fs.readFileSync(path.join(conv, "lo-check.ods")));
      const content = Buffer.from(ods["content.xml"]).toString("utf8");
      for (const sheet of ["Inventory", "Owned Licenses", "CAL Summary", "CAL Assignments", "CAL Problems"]) expect(content).toContain(`table:name="${sheet}"`);
      expect(content).toContain("Exchange CAL audit");
    }
  }, 180_000);

  test("refuses an existing file unless --force, before reading the input", async () => {
    const out = path.join(dir, "exists.xlsx");
    fs.writeFileSync(out, "mine");
    const r = await run("audit", fixture("does-not-exist.csv"), "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists\.xlsx already exists.*--force/);
    expect(fs.readFileSync(out, "utf8")).toBe("mine");
    const forced = await run("audit", fixture("excel-utf8-bom.csv"), "--out", out, "--force");
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe("PK");
    // a missing folder is said before the (missing) input is looked at
    const missing = await run("audit", fixture("does-not-exist.csv"), "--out", path.join(dir, "no", "such", "x.xlsx"));
    expect(missing.stderr).toMatch(/folder .* does not exist/);
    // and the input itself never, even with --force
    const self = await run("audit", fixture("libreoffice.xlsx"), "--out", fixture("libreoffice.xlsx"), "--force");
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/input file/);
  });

  test("a temp file left by a killed write is removed by the next write; none is left by a good one", async () => {
    const stale = path.join(dir, ".gone.xlsx.cals-tmp-999999-abc");
    fs.writeFileSync(stale, "half a workbook");
    const out = path.join(dir, "after-kill.xlsx");
    expect((await run("audit", fixture("excel-utf8-bom.csv"), "--out", out)).code).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".cals-tmp-"))).toEqual([]);
  });
});

describe("numbers in options and cells", () => {
  const inventory = () => {
    const f = path.join(dir, "numbers-inventory.csv");
    fs.writeFileSync(f, "User,Device,Server,Version\r\nalice,LAP-1,EXCH01,2016\r\nbob,LAP-2,EXCH01,2016\r\n");
    return f;
  };

  test('options use "." as the decimal point and accept 1e3: "82.555" is 82.555, never 82,555', async () => {
    const r = await run("audit", inventory(), "--mode", "per-user", "--user-price", "82.555", "--device-price", "1e3", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // two user CALs at 82.555 (the engine keeps costs in cents), not at 82,555
    expect(j.plan.cost).toBeGreaterThanOrEqual(165.11);
    expect(j.plan.cost).toBeLessThanOrEqual(165.12);
    for (const bad of ["82,50", "1,000", "abc", "0", "-5"]) {
      const b = await run("audit", inventory(), "--user-price", bad);
      expect([bad, b.code]).toEqual([bad, 2]);
      expect(b.stderr).toMatch(/--user-price must be a price above 0, written with "\." as the decimal point/);
    }
  });

  test("an ambiguous unit price cell is refused naming the cell; a quantity must be a safe integer", async () => {
    const owned = path.join(dir, "numbers-owned.csv");
    fs.writeFileSync(owned, "Type,Edition,Version,Quantity,Unit price\r\nUser,Standard,2016,2,82.555\r\nDevice,Standard,2016,99999999999999999,76\r\n");
    const r = await run("audit", inventory(), "--owned", owned, "--json");
    const j = JSON.parse(r.stdout);
    const price = j.problems.find((p: { row: number }) => p.row === 2);
    expect(price).toMatchObject({ sheet: "numbers-owned", column: "Unit price", severity: "error" });
    expect(price.message).toMatch(/E2: unit price "82\.555" is ambiguous.*write 82555 or a price with two decimals/);
    const qty = j.problems.find((p: { row: number }) => p.row === 3);
    expect(qty.message).toMatch(/D3: quantity "99999999999999999" is not a whole number/);
    expect(j.position.reduce((n: number, l: { owned: number }) => n + l.owned, 0)).toBe(0);
  });
});

test("a CSV wider than a worksheet: --out refuses in one line (it used to be an internal error)", async () => {
  const f = path.join(dir, "wide.csv");
  const header = ["User", "Device", "Server", "Version"];
  fs.writeFileSync(f, `${header.join(",")}\r\nalice,LAP-1,EXCH01,2016${",x".repeat(16_400)}\r\n`);
  const r = await run("audit", f, "--out", path.join(dir, "wide.xlsx"));
  expect(r.code).toBe(2);
  expect(r.stderr.trimEnd()).toMatch(/^cals: Cannot write .*wide\.xlsx: row 2 of wide has 16,404 columns, more than a worksheet holds \(16,384\)/);
  expect(fs.existsSync(path.join(dir, "wide.xlsx"))).toBe(false);
  expect((await run("audit", f, "--json")).code).toBe(0);
});
