/**
 * The two-command flow end to end on the export fixtures: `cals inventory` writes the
 * inventory, `cals audit` audits it. Also every usage error of `cals inventory`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ExcelJS from "exceljs";
import { runCals as run } from "./support/cli";

const FIX = path.resolve(__dirname, "fixtures", "exports");
const EXPORTS = [
  ["--mailboxes", "mailboxes.csv"],
  ["--mobile-devices", "mobile-devices.csv"],
  ["--mobile-devices", "mobile-devices-de.csv"],
  ["--mobile-devices", "mobile-devices-first-object.csv"],
  ["--servers", "servers.csv"],
  ["--logons", "logons.csv"],
].flatMap(([flag, file]) => [flag, path.join(FIX, file)]);
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-inventory-test-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v)))));
  return rows;
}

test("two commands: the inventory from the exports, then its audit", async () => {
  const out = path.join(dir, "inventory.xlsx");
  const built = await run("inventory", ...EXPORTS, "--iis-logs", path.join(FIX, "iis"), "--as-of", "2026-12-03", "--out", out);
  expect(built.stderr).toBe("");
  expect(built.code).toBe(0);
  expect(built.stdout).toMatch(/^Inventory: 13 row\(s\): 9 user\(s\), 10 device\(s\), 3 user\(s\) with Enterprise features\./);
  expect(built.stdout).toMatch(/IIS logs: 2 file\(s\), 17 line\(s\) -> 8 distinct/);
  expect(built.stdout).toMatch(/Next: cals audit .*inventory\.xlsx\n$/);

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  expect(wb.worksheets.map((w) => w.name)).toEqual(["Inventory", "Excluded", "Build notes"]);
  const inv = sheetRows(wb.getWorksheet("Inventory")!);
  expect(inv[0]).toEqual(["User", "Device", "Server", "Version", "Edition", "Last seen", "Source", "Details"]);
  expect(inv).toHaveLength(14);
  expect(inv.slice(1).every((r) => /mailboxes\.csv row \d+/.test(r[6]))).toBe(true);
  const excluded = sheetRows(wb.getWorksheet("Excluded")!);
  expect(excluded[0]).toEqual(["Source", "Row", "Left out", "Reason"]);
  expect(excluded.slice(1).every((r) => r[3].length > 10)).toBe(true);

  const audited = await run("audit", out, "--mode", "mixed", "--json");
  expect(audited.code).toBe(0);
  const report = JSON.parse(audited.stdout);
  expect(report.source).toMatchObject({ sheet: "Inventory", rowsRead: 13, rowsUsed: 13, rowsRejected: 0 });
  // by hand: user CALs for ann, bob, dave (2+ devices each) and carol (no device seen);
  // one CAL each for erin and José (one device each); one device CAL for KIOSK-01 (k1, k2, k3)
  expect(report.plan.user.standard + report.plan.device.standard).toBe(7);
  // Enterprise: ann (archive), carol (litigation hold), dave (custom retention policy)
  expect(report.plan.user.enterprise + report.plan.device.enterprise).toBe(3);
  expect(report.plan.device.standard).toBeGreaterThanOrEqual(1);
});

test("--out FILE.csv writes the inventory and FILE-excluded.csv beside it; the audit reads the CSV", async () => {
  const out = path.join(dir, "inv.csv");
  const built = await run("inventory", ...EXPORTS, "--as-of", "2026-12-03", "--active-days", "30", "--out", out);
  expect(built.code).toBe(0);
  const text = fs.readFileSync(out, "utf8");
  expect(text.startsWith("\ufeffUser,Device,Server,Version,Edition,Last seen,Source,Details\r\n")).toBe(true);
  const excluded = fs.readFileSync(path.join(dir, "inv-excluded.csv"), "utf8");
  expect(excluded).toMatch(/more than 30 days before the audit date 2026-12-03/);
  const audited = await run("audit", out, "--json");
  expect(JSON.parse(audited.stdout).source.rowsRejected).toBe(0);
});

test("--json prints the build as JSON", async () => {
  const r = await run("inventory", "--mailboxes", path.join(FIX, "mailboxes.csv"), "--as-of", "2026-12-03", "--out", path.join(dir, "j.csv"), "--json");
  const json = JSON.parse(r.stdout);
  expect(json).toMatchObject({ schema: "cals-inventory/1", asOf: "2026-12-03", activeDays: 90 });
  expect(json.excluded.map((e: { item: string }) => e.item)).toContain("mailbox sales@contoso.com");
});

describe("usage errors: exit 2 and one line", () => {
  const cases: [string, string[], RegExp][] = [
    ["no --out", ["--mailboxes", "m.csv"], /--out FILE is required/],
    ["a bad --out", ["--mailboxes", "m.csv", "--out", "x.txt"], /--out must name an \.xlsx or \.csv file/],
    ["no --mailboxes", ["--out", "x.csv"], /--mailboxes FILE is required/],
    ["a bad --as-of", ["--mailboxes", "m.csv", "--out", "x.csv", "--as-of", "2026-13-01"], /--as-of must be a date as YYYY-MM-DD \(got "2026-13-01"\)/],
    ["a bad --active-days", ["--mailboxes", "m.csv", "--out", "x.csv", "--active-days", "ten"], /--active-days must be a whole number/],
  ];
  test.each(cases)("%s", async (_, args, message) => {
    const r = await run("inventory", ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  test("a file that is not the export it was given as, named", async () => {
    const r = await run("inventory", "--mailboxes", path.join(FIX, "servers.csv"), "--out", path.join(dir, "x.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cals: servers\.csv: no header with PrimarySmtpAddress, RecipientTypeDetails or Identity/);
  });

  test("an input is never the output", async () => {
    const copy = path.join(dir, "m.csv");
    fs.copyFileSync(path.join(FIX, "mailboxes.csv"), copy);
    const r = await run("inventory", "--mailboxes", copy, "--out", copy);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/it is an input file/);
    expect(fs.readFileSync(copy, "utf8")).toBe(fs.readFileSync(path.join(FIX, "mailboxes.csv"), "utf8"));
  });

  test("an existing --out is replaced only with --force, and checked before any export is read", async () => {
    const out = path.join(dir, "exists.xlsx");
    fs.writeFileSync(out, "mine");
    const r = await run("inventory", "--mailboxes", path.join(dir, "not-read-yet.csv"), "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists; CALS never replaces a file unasked/);
    expect(fs.readFileSync(out, "utf8")).toBe("mine");
    const forced = await run("inventory", "--mailboxes", path.join(FIX, "mailboxes.csv"), "--out", out, "--force");
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe("PK");
  });

  test("a missing log folder", async () => {
    const r = await run("inventory", "--mailboxes", path.join(FIX, "mailboxes.csv"), "--iis-logs", path.join(dir, "nope"), "--out", path.join(dir, "y.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such folder/);
  });
});
