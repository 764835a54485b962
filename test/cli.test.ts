/**
 * The `cals` command end to end: most cases through main(argv) with captured stdout, stderr
 * and exit code; one through the compiled command in a child process. Every input file is
 * written here, into a temp folder, with ExcelJS or fs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import ExcelJS from "exceljs";
import { runCals as run } from "./support/cli";
import { nodeWorkers } from "../src/cli";
import { reportToJson, runAudit } from "../src/audit";
import { WORKER_MIN_ROWS } from "../src/speed";
import { COVER_HEADER } from "../src/speed";
import { PALETTE } from "../src/report";

const ROOT = path.resolve(__dirname, "..");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-cli-test-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string): string {
  return path.join(dir, name);
}

function csvText(rows: string[][], delimiter = ","): string {
  const field = (v: string) => (/[",;\t\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(field).join(delimiter)).join("\r\n") + "\r\n";
}

/** Expect exactly one line on stderr, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.endsWith("\n")).toBe(true);
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).toMatch(/^cals: /);
}

const INJECTIONS = ["=1+1", "+SUM(A1)", "-3", "@cmd"];

/**
 * A messy export: a title line, a blank line, headers with odd spacing and other names.
 * By hand, in mixed mode at equal prices:
 * - alice: laptop + phone, Enterprise -> 1 user CAL + 1 Enterprise user CAL
 * - bob: laptop + OWA with no device -> 1 user CAL (the OWA row needs it anyway)
 * - carol, dave, erin only on KIOSK-1 (spelt kiosk-1 once) -> 1 device CAL
 * - the 4 injection names, OWA with no device each -> 4 user CALs
 * - frank on version "2011" -> rejected, one problem at row 15, column "Server Version"
 * Total: 6 user CALs (1 Enterprise), 1 device CAL. Rows read 12, used 11, rejected 1.
 */
const MESSY: string[][] = [
  ["Contoso access export 2024-05-01"],
  [],
  [" User Name ", "Computer", "Exchange Server", "Server Version", "Protocol", "Enterprise Features"],
  ["alice@contoso.com", "LAP-1", "EXCH01", "2016", "Outlook", "Yes"],
  ["ALICE@contoso.com", "MOB-1", "EXCH01", "2016", "ActiveSync", "Yes"],
  ["bob@contoso.com", "LAP-2", "EXCH01", "2016", "Outlook", ""],
  ["bob@contoso.com", "", "EXCH02", "2016", "OWA", ""],
  ["carol@contoso.com", "KIOSK-1", "EXCH01", "2016", "OWA", ""],
  ["dave@contoso.com", "KIOSK-1", "EXCH01", "2016", "OWA", ""],
  ["erin@contoso.com", "kiosk-1", "EXCH01", "2016", "OWA", ""],
  ...INJECTIONS.map((name) => [name, "", "EXCH01", "2016", "OWA", ""]),
  ["frank@contoso.com", "LAP-9", "EXCH09", "2011", "Outlook", ""],
];

/** Owned: 4 user (short by 2), 3 device (2 surplus), no Enterprise (short by 1). */
const MESSY_OWNED: string[][] = [
  ["Type", "Edition", "Version", "Quantity", "Unit price"],
  ["User", "Standard", "2016", "4", "82"],
  ["Device", "Standard", "2016", "3", "76"],
];

/** Get-ExchangeServerAccessLicenseUser output, one block per licence name, users only. */
const LICENSE_USERS: string[][] = [
  ["Name", "LicenseName"],
  ["alice@contoso.com", "Exchange Server 2016 Standard CAL"],
  ["bob@contoso.com", "Exchange Server 2016 Standard CAL"],
  ["carol@contoso.com", "Exchange Server 2016 Standard CAL"],
  ["alice@contoso.com", "Exchange Server 2016 Enterprise CAL"],
  ["bob@contoso.com", "Exchange Server 2016 Enterprise CAL"],
];

const NOTES_SHEET: (string | number)[][] = [
  ["Read me", "kept as it is"],
  ["count", 42],
  ["=not a formula", "@still text"],
];

/**
 * A workbook the user made: a notes sheet first, the export as "Inventory", the owned table,
 * and their own sheet already called "CAL Summary" (the report must not overwrite it).
 */
async function writeUserWorkbook(target: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet("Notes");
  NOTES_SHEET.forEach((r) => notes.addRow(r));
  notes.getCell("C2").value = { formula: "B2*2", result: 84 };
  notes.getCell("A1").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF00B050" } };
  const inv = wb.addWorksheet("Inventory");
  LICENSE_USERS.forEach((r) => inv.addRow(r));
  const owned = wb.addWorksheet("Owned Licenses");
  owned.addRow(["Type", "Edition", "Version", "Quantity"]);
  owned.addRow(["User", "Standard", "2016", 3]);
  owned.addRow(["User", "Enterprise", "2016", 2]);
  const mine = wb.addWorksheet("CAL Summary");
  mine.addRow(["My own summary", "do not touch"]);
  await wb.xlsx.writeFile(target);
}

function sheetValues(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    out[n - 1] = (row.values as unknown[]).slice(1);
  });
  return out;
}

function findCell(ws: ExcelJS.Worksheet, predicate: (v: unknown) => boolean): ExcelJS.Cell | undefined {
  let found: ExcelJS.Cell | undefined;
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      if (!found && predicate(cell.value)) found = cell;
    }),
  );
  return found;
}

describe("cals audit: CSV input", () => {
  let inventory: string;
  let owned: string;
  beforeAll(() => {
    inventory = file("messy.csv");
    owned = file("owned.csv");
    fs.writeFileSync(inventory, "\ufeff" + csvText(MESSY));
    fs.writeFileSync(owned, csvText(MESSY_OWNED));
  });

  test("--json prints the report and nothing else; counts as worked out by hand", async () => {
    const r = await run("audit", inventory, "--owned", owned, "--mode", "mixed", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout);
    expect(json.schema).toBe("cals-audit/1");
    expect(json.source).toEqual({ sheet: "messy", rowsRead: 12, rowsUsed: 11, rowsRejected: 1 });
    expect(json.mode).toBe("mixed");
    expect(json.plan.user).toEqual({ standard: 6, enterprise: 1 });
    expect(json.plan.device).toEqual({ standard: 1, enterprise: 0 });
    expect(json.plan.server).toEqual({ standard: 0 });
    expect(json.status).toBe("non-compliant");
    const line = (type: string, edition: string) => json.position.find((l: { type: string; edition: string }) => l.type === type && l.edition === edition);
    expect(line("user", "standard")).toMatchObject({ version: "2016", required: 6, owned: 4, shortfall: 2, surplus: 0, status: "shortfall" });
    expect(line("user", "enterprise")).toMatchObject({ required: 1, owned: 0, shortfall: 1, status: "shortfall" });
    expect(line("device", "standard")).toMatchObject({ required: 1, owned: 3, shortfall: 0, surplus: 2, status: "surplus" });
    expect(json.toBuy.reduce((n: number, t: { quantity: number }) => n + t.quantity, 0)).toBe(3);
    expect(json.problems).toHaveLength(1);
    expect(json.problems[0]).toMatchObject({ row: 15, column: "Server Version" });
    expect(json.problems[0].message).toMatch(/2011/);
    expect(Array.isArray(json.plans)).toBe(true);
    expect(json.plans.every((p: Record<string, unknown>) => "toBuyCost" in p && "cost" in p && "mode" in p)).toBe(true);
  });

  test("read row by row (no --out) or whole (--out): the same report, problems and all", async () => {
    // Without --out a CSV is streamed into the audit; with --out it is read whole to be written back.
    for (const extra of [[], ["--mode", "auto"], ["--version", "2019"]]) {
      const streamed = await run("audit", inventory, "--owned", owned, "--json", ...extra);
      const whole = await run("audit", inventory, "--owned", owned, "--json", "--out", file(`whole-${extra.join("")}.xlsx`), ...extra);
      expect(streamed.code).toBe(whole.code);
      const a = JSON.parse(streamed.stdout);
      const b = JSON.parse(whole.stdout);
      expect(a.problems.length).toBeGreaterThan(0);
      expect(a).toEqual(b);
    }
    // The sample, with its three rejected rows, too.
    const sample = path.join(ROOT, "assets", "sample-inventory.csv");
    const s1 = await run("audit", sample, "--json");
    const s2 = await run("audit", sample, "--json", "--out", file("sample-whole.xlsx"));
    expect(JSON.parse(s1.stdout)).toEqual(JSON.parse(s2.stdout));
    expect(JSON.parse(s1.stdout).source.rowsRejected).toBe(3);
  });

  test("a semicolon-delimited, tab-delimited or UTF-16 file gives the same answer", async () => {
    const semi = file("semi.csv");
    const tab = file("tab.csv");
    const utf16 = file("utf16.csv");
    fs.writeFileSync(semi, csvText(MESSY, ";"));
    fs.writeFileSync(tab, csvText(MESSY, "\t"));
    fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvText(MESSY), "utf16le")]));
    for (const f of [semi, tab, utf16]) {
      const r = await run("audit", f, "--mode", "mixed", "--json");
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.plan.user).toEqual({ standard: 6, enterprise: 1 });
      expect(json.plan.device).toEqual({ standard: 1, enterprise: 0 });
    }
  });

  test("the readable summary names status, position, plans, what to buy and the problem's row and column", async () => {
    const r = await run("audit", inventory, "--owned", owned, "--mode", "mixed", "--user-price", "82", "--device-price", "76");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Status: NOT COMPLIANT/);
    expect(r.stdout).toMatch(/Licence position/);
    expect(r.stdout).toMatch(/Plans compared/);
    expect(r.stdout).toMatch(/To buy \(total/);
    expect(r.stdout).toMatch(/row 15, Server Version: .*2011/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when stdout is not a terminal
  });

  test("--fail-on-shortfall exits 1 when not compliant, 0 when compliant", async () => {
    const short = await run("audit", inventory, "--owned", owned, "--mode", "mixed", "--json", "--fail-on-shortfall");
    expect(short.code).toBe(1);
    expect(JSON.parse(short.stdout).status).toBe("non-compliant");

    const enough = file("enough.csv");
    fs.writeFileSync(
      enough,
      csvText([
        ["Type", "Edition", "Version", "Quantity"],
        ["User", "Standard", "2016", "6"],
        ["User", "Enterprise", "2016", "1"],
        ["Device", "Standard", "2016", "1"],
      ]),
    );
    const ok = await run("audit", inventory, "--owned", enough, "--mode", "mixed", "--json", "--fail-on-shortfall");
    expect(JSON.parse(ok.stdout).status).toBe("compliant");
    expect(ok.code).toBe(0);
  });

  test("--out writes a new workbook: the inventory as text, the owned table, the report; injection names stay text", async () => {
    const out = file("from-csv.xlsx");
    const r = await run("audit", inventory, "--owned", owned, "--mode", "mixed", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Workbook written: ${out}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const names = wb.worksheets.map((ws) => ws.name);
    expect(names.slice(0, 2)).toEqual(["messy", "owned"]);
    expect(names).toEqual(expect.arrayContaining(["CAL Summary", "CAL Assignments", "CAL Problems"]));

    // the inventory, cell for cell, every value text (CSV has no types)
    const inv = wb.getWorksheet("messy")!;
    MESSY.forEach((row, r0) =>
      row.forEach((v, c0) => {
        const cell = inv.getCell(r0 + 1, c0 + 1);
        if (v === "") expect(cell.value).toBeNull();
        else {
          expect(cell.value).toBe(v);
          expect(cell.type).toBe(ExcelJS.ValueType.String);
        }
      }),
    );

    // injection strings are plain strings wherever they appear, never formulas
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula ?? undefined).toBeUndefined();
        }),
      );
    }
    const assignments = wb.getWorksheet("CAL Assignments")!;
    for (const name of INJECTIONS) {
      const cell = findCell(assignments, (v) => v === name);
      expect(cell).toBeDefined();
      expect(cell!.type).toBe(ExcelJS.ValueType.String);
    }

    // the status cell: the word beside the colour
    const summary = wb.getWorksheet("CAL Summary")!;
    const status = findCell(summary, (v) => v === "NOT COMPLIANT")!;
    expect(status).toBeDefined();
    expect((status.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FF" + PALETTE.bad.fill);
    expect(status.font?.color?.argb).toBe("FF" + PALETTE.bad.fontColor);
    // and no temp file left beside the output
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("cals audit: coverage rules from the command line", () => {
  const rows = [
    ["User", "Device", "Server", "Version", "External", "Covered by"],
    ["ann@contoso.com", "LAP-1", "EX1", "2010", "", ""],
    ["bob@contoso.com", "LAP-2", "EX1", "2010", "", "Microsoft 365 E3"],
    ["guest1@partner.com", "", "EX1", "2010", "yes", ""],
    ["guest2@partner.com", "", "EX1", "2010", "yes", ""],
  ];
  test("org-wide flags raise every mailbox to Enterprise; connector price decides external users", async () => {
    fs.writeFileSync(file("coverage.csv"), csvText(rows));
    const plain = JSON.parse((await run("audit", file("coverage.csv"), "--mode", "per-user", "--json")).stdout);
    // bob is covered by E3; the 2 guests cost 2 CALs, far below the example connector price.
    expect(plain.plan.user).toEqual({ standard: 3, enterprise: 0 });
    expect(plain.coverage).toEqual([{ reason: expect.stringMatching(/E3 or E5/), rows: 1, holders: 1 }]);

    const flagged = await run("audit", file("coverage.csv"), "--mode", "per-user", "--json", "--journal-whole-org", "--connector-price", "100");
    expect(flagged.code).toBe(0);
    const json = JSON.parse(flagged.stdout);
    // A connector (100) beats 2 guest CALs (2 x 134 with Enterprise); ann alone needs S + E.
    expect(json.plan.user).toEqual({ standard: 1, enterprise: 1 });
    expect(json.plan.connector).toEqual({ standard: 1 });
    expect(json.warnings.join(" ")).toMatch(/journal rule for the whole organisation/);

    const readable = await run("audit", file("coverage.csv"), "--mode", "per-user");
    expect(readable.stdout).toMatch(/Exempt and covered elsewhere\n.*Rows.*Holders.*Reason/);
    expect(readable.stdout).toMatch(/\s1\s+1\s+Covered by a Microsoft 365 \/ Office 365 E3 or E5 subscription/);
  });
});

describe("cals audit: xlsx input", () => {
  let book: string;
  beforeAll(async () => {
    book = file("user-book.xlsx");
    await writeUserWorkbook(book);
  });

  test("finds the Inventory and Owned Licenses sheets; reads a Get-ExchangeServerAccessLicenseUser export", async () => {
    const r = await run("audit", book, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.source).toMatchObject({ sheet: "Inventory", rowsRead: 5, rowsUsed: 5, rowsRejected: 0 });
    expect(json.plan.user).toEqual({ standard: 3, enterprise: 2 });
    expect(json.plan.device).toEqual({ standard: 0, enterprise: 0 });
    expect(json.status).toBe("compliant");
    expect(json.toBuy).toEqual([]);
  });

  test("--out: the original sheets untouched, the user's CAL Summary kept, the report as CAL Summary (2), green status", async () => {
    const before = new ExcelJS.Workbook();
    await before.xlsx.readFile(book);
    const out = file("user-book-audit.xlsx");
    const r = await run("audit", book, "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Status: COMPLIANT/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const names = wb.worksheets.map((ws) => ws.name);
    expect(names.slice(0, 4)).toEqual(["Notes", "Inventory", "Owned Licenses", "CAL Summary"]);
    expect(names).toContain("CAL Summary (2)");
    expect(names).toContain("CAL Assignments");
    for (const ws of before.worksheets) expect(sheetValues(wb.getWorksheet(ws.name)!)).toEqual(sheetValues(ws));
    expect(wb.getWorksheet("Notes")!.getCell("C2").value).toEqual({ formula: "B2*2", result: 84 });
    expect((wb.getWorksheet("Notes")!.getCell("A1").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FF00B050");
    expect(wb.getWorksheet("CAL Summary")!.getCell("A1").value).toBe("My own summary");

    const summary = wb.getWorksheet("CAL Summary (2)")!;
    const status = findCell(summary, (v) => v === "COMPLIANT")!;
    expect(status).toBeDefined();
    expect((status.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FF" + PALETTE.good.fill);
    // the summary's pointer to the other sheets names the sheets really written
    // (a long line is split into rows, so the text is read back as one paragraph)
    const text: string[] = [];
    summary.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === "string" && text.push(cell.value))));
    expect(text.join(" ").replace(/\s+/g, " ")).toMatch(/See also: who holds which CAL and the inventory rows each covers: sheet "CAL Assignments"/);
  });

  test("--sheet and --owned-sheet pick sheets; a missing sheet is one line, exit 2", async () => {
    const ok = await run("audit", book, "--sheet", "inventory", "--owned-sheet", "Owned Licenses", "--json");
    expect(ok.code).toBe(0);
    const missing = await run("audit", book, "--sheet", "Nope");
    expect(missing.code).toBe(2);
    expectOneLine(missing.stderr);
    expect(missing.stderr).toMatch(/No sheet named "Nope".*"Notes", "Inventory"/);
  });

  test("the first sheet is the default when none is called Inventory", async () => {
    const f = file("first.xlsx");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Access");
    MESSY.forEach((r) => ws.addRow(r));
    wb.addWorksheet("Other").addRow(["x"]);
    await wb.xlsx.writeFile(f);
    const r = await run("audit", f, "--mode", "mixed", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.source.sheet).toBe("Access");
    expect(json.plan.user).toEqual({ standard: 6, enterprise: 1 });
  });
});

describe("cals: usage and input errors exit 2 with one line", () => {
  test("no command", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
  });

  test("unknown option and unknown command", async () => {
    const a = await run("audit", "x.csv", "--frobnicate");
    expect(a.code).toBe(2);
    expectOneLine(a.stderr);
    expect(a.stderr).toMatch(/unknown option/);
    const b = await run("inspect", "x.csv");
    expect(b.code).toBe(2);
    expectOneLine(b.stderr);
  });

  test("missing file argument", async () => {
    const r = await run("audit");
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
  });

  test("a file that does not exist", async () => {
    const r = await run("audit", file("nope.xlsx"));
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/Cannot read nope\.xlsx: no such file/);
    expect(r.stdout).toBe("");
  });

  test("a text file named .xlsx, and an unknown extension", async () => {
    const fake = file("fake.xlsx");
    fs.writeFileSync(fake, "User,Device\nalice,LAP-1\n");
    const a = await run("audit", fake);
    expect(a.code).toBe(2);
    expectOneLine(a.stderr);
    expect(a.stderr).toMatch(/Cannot read fake\.xlsx: it is not an \.xlsx workbook \(not a zip package\)/);
    const pdf = file("report.pdf");
    fs.writeFileSync(pdf, "%PDF-1.4");
    const b = await run("audit", pdf);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown file type/);
  });

  test("bad prices and a bad mode", async () => {
    const inv = file("small.csv");
    fs.writeFileSync(inv, csvText(MESSY));
    for (const bad of ["abc", "0", "-5", "1e999", ""]) {
      const r = await run("audit", inv, "--user-price", bad);
      expect(r.code).toBe(2);
      expectOneLine(r.stderr);
      expect(r.stderr).toMatch(/--user-price/);
    }
    const m = await run("audit", inv, "--mode", "per-galaxy");
    expect(m.code).toBe(2);
    expectOneLine(m.stderr);
    expect(m.stderr).toMatch(/mode/i);
  });

  test("--version: the version for rows that name none; an unknown one is refused before reading", async () => {
    const f = file("noversion.csv");
    fs.writeFileSync(
      f,
      csvText([
        ["User", "Device"],
        ["alice", "LAP-1"],
        ["bob", "LAP-2"],
      ]),
    );
    const none = await run("audit", f);
    expect(none.code).toBe(2);
    expectOneLine(none.stderr);
    expect(none.stderr).toMatch(/version/i);
    const ok = await run("audit", f, "--version", "2019", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).position.map((l: { version: string }) => l.version)).toEqual(["2019"]);
    const bad = await run("audit", file("does-not-exist.csv"), "--version", "2011");
    expect(bad.code).toBe(2);
    expectOneLine(bad.stderr);
    expect(bad.stderr).toMatch(/Unknown version "2011"/);
  });

  test("a sheet with no header row", async () => {
    const f = file("noheader.csv");
    fs.writeFileSync(f, "1,2,3\n4,5,6\n");
    const r = await run("audit", f);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/header/i);
    // Whether the CSV is streamed (no --out) or read whole: a missing --owned file is said
    // before the inventory's missing header, and a missing inventory file before both.
    for (const extra of [[], ["--out", file("noheader-out.xlsx")]]) {
      const both = await run("audit", f, "--owned", file("no-such-owned.csv"), ...extra);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^cals: Cannot read no-such-owned\.csv: no such file/);
      const neither = await run("audit", file("no-such-inventory.csv"), "--owned", file("no-such-owned.csv"), ...extra);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toMatch(/^cals: Cannot read no-such-inventory\.csv: no such file/);
    }
  });

  test("--out equal to the input is refused and the input is untouched", async () => {
    const inv = file("same.csv");
    fs.writeFileSync(inv, csvText(MESSY));
    const before = fs.readFileSync(inv);
    const r = await run("audit", inv, "--out", inv);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(fs.readFileSync(inv).equals(before)).toBe(true);

    const book = file("same.xlsx");
    await writeUserWorkbook(book);
    const bytes = fs.readFileSync(book);
    const viaOtherSpelling = path.join(dir, ".", "sub", "..", "same.xlsx");
    const r2 = await run("audit", book, "--out", viaOtherSpelling);
    expect(r2.code).toBe(2);
    expectOneLine(r2.stderr);
    expect(r2.stderr).toMatch(/never overwritten/);
    expect(fs.readFileSync(book).equals(bytes)).toBe(true);
  });

  test("--out into a folder that does not exist", async () => {
    const inv = file("small2.csv");
    fs.writeFileSync(inv, csvText(MESSY));
    const r = await run("audit", inv, "--out", file("no/such/dir/out.xlsx"));
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
  });
});

/**
 * An inventory big enough that the command looks users and devices up on a second thread
 * (WORKER_MIN_ROWS; a streamed CSV's rows are guessed from its size, at 64 bytes a
 * row): about 28 MB, with case variants, blank devices, long and non-ASCII names.
 */
function bigInventory(): string[][] {
  const rows = WORKER_MIN_ROWS + 10_000;
  const grid: string[][] = [["User", "Device", "Server", "Version", "Access", "Edition"]];
  for (let i = 0; i < rows; i++) {
    const u = (i * 7919) % 61_001;
    const d = (i * 104_729) % 48_611;
    const user =
      u % 23 === 0
        ? `Ünal.Yılmaz.${u}@contoso-holdings.com.tr`
        : u % 29 === 0
          ? `firstname.middlename.lastname.${u}@subsidiary.contoso.com`
          : `user${u}@contoso-holdings.com`;
    grid.push([
      i % 3 === 0 ? user.toUpperCase() : user,
      i % 10 === 0 ? "" : `DESKTOP-${d.toString(36).toUpperCase()}`,
      `EXCH0${i % 6}`,
      i % 6 < 2 ? "2016" : "2019",
      i % 10 === 0 ? "OWA" : "Outlook",
      u % 9 === 0 ? "Enterprise" : "Standard",
    ]);
  }
  return grid;
}

let bigFile: { grid: string[][]; path: string } | undefined;
/** The big inventory, written once for the tests that need it. */
function bigCsv(): { grid: string[][]; path: string } {
  if (!bigFile) {
    bigFile = { grid: bigInventory(), path: file("big.csv") };
    fs.writeFileSync(bigFile.path, csvText(bigFile.grid));
  }
  return bigFile;
}

describe("cals audit: a big CSV, with worker threads for the names and the min cut", () => {
  test("the report is the one the audit gives on this thread alone", async () => {
    const { grid, path: big } = bigCsv();
    expect(fs.statSync(big).size / 64).toBeGreaterThan(WORKER_MIN_ROWS);
    const startWorker = nodeWorkers.start.bind(nodeWorkers);
    // What the min-cut worker had solved when the command stopped it.
    const solved: number[] = [];
    const start = jest.spyOn(nodeWorkers, "start").mockImplementation((source, data) => {
      const worker = startWorker(source, data);
      if (!/minCutKit/.test(source)) return worker;
      return { stop: () => (solved.push(new Int32Array(data, 0, 16)[COVER_HEADER.SOLVED]), worker.stop()) };
    });
    try {
      const r = await run("audit", big, "--mode", "mixed", "--json");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      // Two workers: one numbers users and devices, one solves the mixed plan (and did).
      expect(start).toHaveBeenCalledTimes(2);
      expect(start.mock.calls.map(([source]) => /minCutKit/.test(source))).toEqual([false, true]);
      expect(solved).toEqual([1]);
      const expected = reportToJson(runAudit(grid, { sheet: "big", mode: "mixed" }));
      const got = JSON.parse(r.stdout);
      expect(got.source).toEqual({ sheet: "big", rowsRead: grid.length - 1, rowsUsed: grid.length - 1, rowsRejected: 0 });
      expect(got.plan.user.standard + got.plan.device.standard).toBeGreaterThan(10_000);
      expect(got).toEqual(JSON.parse(JSON.stringify(expected)));
    } finally {
      start.mockRestore();
    }
  }, 120_000);
});

describe("the compiled command", () => {
  let outDir: string;
  beforeAll(() => {
    // Compiled into a temp folder (not lib/, so a test run never races `npm run build:cli`).
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-cli-build-"));
    const tsc = require.resolve("typescript/bin/tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.cli.json"), "--outDir", outDir], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`tsc -p tsconfig.cli.json failed:\n${r.stdout}${r.stderr}`);
  }, 180_000);
  afterAll(() => {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  test("node cals.js audit the sample --json: exit code, JSON on stdout, starts with a shebang", () => {
    const bin = path.join(outDir, "cli", "cals.js");
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.bin.cals).toBe("lib/cli/cals.js");
    const r = spawnSync(
      process.execPath,
      [
        bin,
        "audit",
        path.join(ROOT, "assets", "sample-inventory.csv"),
        "--owned",
        path.join(ROOT, "assets", "sample-owned.csv"),
        "--json",
        "--fail-on-shortfall",
      ],
      { encoding: "utf8", env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") } },
    );
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout);
    expect(json.schema).toBe("cals-audit/1");
    expect(json.source.rowsRejected).toBe(3);
    expect(json.problems.map((p: { row: number }) => p.row).sort()).toEqual([85, 86, 87]);
    // the sample is built to show a shortfall and a surplus
    expect(json.status).toBe("non-compliant");
    expect(json.position.some((l: { status: string }) => l.status === "shortfall")).toBe(true);
    expect(json.position.some((l: { status: string }) => l.status === "surplus")).toBe(true);
    expect(r.status).toBe(1);

    const bad = spawnSync(process.execPath, [bin, "audit", path.join(dir, "missing.csv")], {
      encoding: "utf8",
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
    });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expectOneLine(bad.stderr);
  });

  test("the compiled workers start and do their work (names, min cut)", () => {
    // A worker that failed to start would go unseen in the command's output: the row loop
    // takes its work after a wait. So ask the compiled NameThread who did the lookups.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { NameThread } = require(path.join(outDir, "speed", "index.js")) as typeof import("../src/speed");
    const { nodeWorkers: host } = require(path.join(outDir, "cli", "workers.js")) as typeof import("../src/cli");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const thread = new NameThread(host, 2);
    const [users, devices] = [thread.column(0), thread.column(1)];
    users.begin(8);
    devices.begin(1);
    for (let i = 0; i < 5000; i++) users.push(i % 2 ? `User${i % 700}` : `user${i % 700}`);
    const ids = users.end();
    devices.end();
    expect(thread.onWorker).toBe(true);
    expect(users.display).toHaveLength(700);
    expect(ids[701]).toBe(1);

    // And the compiled min-cut worker: it solves, with minCostCover's answer.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { CoverThread } = require(path.join(outDir, "speed", "index.js")) as typeof import("../src/speed");
    const { minCostCover } = require(path.join(outDir, "solver", "index.js")) as typeof import("../src/solver");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const cover = new CoverThread(host, 3, 2, 2);
    const prices = { userStandard: 3, userEnterprise: 5, deviceStandard: 2, deviceEnterprise: 7 };
    const p = { users: 2, devices: 2, edgeUser: Int32Array.of(0, 1, 1), edgeDevice: Int32Array.of(0, 0, 1), edgeEnterprise: Uint8Array.of(0, 1, 0), prices };
    const got = cover.solve(p);
    cover.close();
    expect(cover.solvedOnWorker).toBe(1);
    const want = minCostCover(p);
    expect(got.cost).toBe(want.cost);
    expect([got.userStandard, got.userEnterprise, got.deviceStandard, got.deviceEnterprise].map((a) => Array.from(a))).toEqual(
      [want.userStandard, want.userEnterprise, want.deviceStandard, want.deviceEnterprise].map((a) => Array.from(a)),
    );
  });

  test("node cals.js audit a big CSV: the worker runs the compiled code, the plan is right", () => {
    const { grid, path: big } = bigCsv();
    const r = spawnSync(process.execPath, [path.join(outDir, "cli", "cals.js"), "audit", big, "--mode", "mixed", "--json"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const expected = reportToJson(runAudit(grid, { sheet: "big", mode: "mixed" }));
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  }, 120_000);
});
