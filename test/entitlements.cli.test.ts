import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCals as run } from "./support/cli";

/**
 * The command end to end with an owned table in the new columns (Product, Type, Edition,
 * Version, Quantity, Purchased, SA until). Every expected number is worked by hand below.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-ent-test-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, rows: string[][]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, rows.map((r) => r.join(",")).join("\r\n") + "\r\n");
  return file;
}

// Five people, each on their own laptop (so per-user and mixed both give five user CALs):
// ann, bob, cat on a 2019 server (cat uses litigation hold: Enterprise), dan and eve on SE.
const inventory = () =>
  write("inv.csv", [
    ["User", "Device", "Server", "Version", "Edition"],
    ["ann", "L1", "EX19", "2019", "Standard"],
    ["bob", "L2", "EX19", "2019", "Standard"],
    ["cat", "L3", "EX19", "2019", "Enterprise"],
    ["dan", "L4", "EXSE", "SE", "Standard"],
    ["eve", "L5", "EXSE", "SE", "Standard"],
  ]);

describe("cals audit with suites, plans and SA dates", () => {
  test("a Core CAL Suite with lapsed SA covers 2019 only; Microsoft 365 E3 covers SE; E1 gives Standard only", async () => {
    const owned = write("owned.csv", [
      ["Product", "Type", "Edition", "Version", "Quantity", "Purchased", "SA until"],
      // Bought 2016, SA to 2020-06-30: reaches 2016 and 2019 (2018-10-22 within SA), not SE.
      ["Core CAL Suite", "User", "", "", "2", "2016-03-01", "2020-06-30"],
      // Active on the audit date: Standard and Enterprise for every version, SE included.
      ["M365 E3", "User", "", "", "1", "", "2027-01-31"],
      // Standard only, active.
      ["O365 E1", "", "", "", "1", "", "2027-01-31"],
      // Perpetual 2016 Enterprise CAL whose SA ran through 2019-01-01: reaches 2019.
      ["Exchange Server CAL", "User", "Enterprise", "2016", "1", "2016-05-01", "2019-01-01"],
    ]);
    const r = await run(
      "audit",
      inventory(),
      "--owned",
      owned,
      "--mode",
      "per-user",
      "--as-of",
      "2026-12-03",
      "--json",
      "--user-price",
      "100",
      "--enterprise-user-price",
      "40",
    );
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout);
    expect(json.asOf).toBe("2026-12-03");
    // Needs: Standard 2019 x3 (ann, bob, cat), Standard SE x2 (dan, eve), Enterprise 2019 x1 (cat).
    // SE x2: E3 (1) and E1 (1). 2019 x3: suite x2, and cat's Standard needs a third: short 1.
    // cat's Enterprise 2019: the 2016 Enterprise CAL (SA carried it to 2019).
    const line = (edition: string, version: string) =>
      json.position.find((l: { edition: string; version: string }) => l.edition === edition && l.version === version);
    expect(line("standard", "SE")).toMatchObject({ required: 2, shortfall: 0 });
    expect(line("standard", "SE").coveredBy).toEqual(
      expect.arrayContaining([
        { product: "Microsoft 365 E3", quantity: 1 },
        { product: "Office 365 E1", quantity: 1 },
      ]),
    );
    expect(line("standard", "2019")).toMatchObject({ required: 3, shortfall: 1, coveredBy: [{ product: "Core CAL Suite", quantity: 2 }] });
    expect(line("enterprise", "2019")).toMatchObject({
      required: 1,
      shortfall: 0,
      coveredBy: [{ product: "Exchange Server 2016 Enterprise CAL", quantity: 1 }],
    });
    expect(json.toBuy).toEqual([{ type: "user", edition: "standard", version: "2019", quantity: 1, cost: 100 }]);
    expect(json.entitlements.map((e: { product: string; reaches: unknown; used: number }) => [e.product, e.reaches, e.used])).toEqual([
      ["Core CAL Suite", { standard: "2019", enterprise: null }, 2],
      ["Microsoft 365 E3", { standard: "SE", enterprise: "SE" }, 1],
      ["Office 365 E1", { standard: "SE", enterprise: null }, 1],
      ["Exchange Server 2016 Enterprise CAL", { standard: null, enterprise: "2019" }, 1],
    ]);
    expect(json.warnings.join("\n")).not.toMatch(/unknown product/);
  });

  test("the same table audited as of 2020-01-01: the suite's SA is active, so it reaches every version out then", async () => {
    const owned = write("owned2.csv", [
      ["Product", "Type", "Quantity", "Purchased", "SA until"],
      ["Enterprise CAL Suite", "User", "3", "2016-03-01", "2020-06-30"],
    ]);
    const inv = write("inv2.csv", [
      ["User", "Device", "Version", "Edition"],
      ["ann", "L1", "2019", "Enterprise"],
      ["bob", "L2", "2016", "Standard"],
    ]);
    const r = await run("audit", inv, "--owned", owned, "--as-of", "2020-01-01", "--json");
    const json = JSON.parse(r.stdout);
    expect(json.status).toBe("compliant");
    expect(json.entitlements[0]).toMatchObject({ reaches: { standard: "2019", enterprise: "2019" }, used: 2, unused: 1 });
  });

  test("an unknown product and a Device plan are problems naming the cell; a Bridge counts for nothing, in words", async () => {
    const owned = write("owned3.csv", [
      ["Product", "Type", "Quantity"],
      ["Exchange Online Plan 3", "User", "5"],
      ["Microsoft 365 E3", "Device", "5"],
      ["Core CAL Suite Bridge", "User", "5"],
      ["Microsoft 365 F3", "User", "5"],
    ]);
    const r = await run("audit", inventory(), "--owned", owned, "--as-of", "2026-12-03", "--json");
    const json = JSON.parse(r.stdout);
    expect(json.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 2,
          column: "Product",
          severity: "error",
          message: expect.stringMatching(/^A2: unknown product "Exchange Online Plan 3"/),
        }),
        expect.objectContaining({
          row: 3,
          column: "Type",
          severity: "error",
          message: expect.stringMatching(/^B3: Microsoft 365 E3 is licensed per user only, not "Device"/),
        }),
      ]),
    );
    const warnings = json.warnings.join("\n");
    expect(warnings).toMatch(/A4: Core CAL Suite Bridge holds no Exchange CAL/);
    expect(warnings).toMatch(/A5: Microsoft 365 F3 gives no on-premises Exchange access rights/);
    expect(json.toBuy.reduce((s: number, t: { quantity: number }) => s + t.quantity, 0)).toBe(6); // 5 Standard + cat's Enterprise
  });

  test("--as-of must be a date", async () => {
    const r = await run("audit", inventory(), "--as-of", "03/12/2026");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-of "03\/12\/2026" is not a date; write it as YYYY-MM-DD/);
  });
});
