import { runAudit } from "./audit";
import { buyCostOf } from "./buyCost";
import { readOwned } from "./owned";
import { computePosition } from "./position";
import { resolvePrices } from "./prices";
import type { AuditReport, OwnedLicence, Requirement } from "./types";
import type { Grid } from "../sheet";
import type { VersionId } from "../licensing";
import { mulberry32 as rng } from "../../test/support/random";
import { accessGrid, AccessRow, mergeRequirements, versionsHeld, MODERN, randomOwned, randomRows } from "../../test/support/randomAccess";

// Versions as the audit orders them (index = rank - 1).
const ALL: VersionId[] = ["5.5", "2000", "2003", "2007", "2010", "2013", "2016", "2019", "SE"];
const DEFAULT_PRICES = resolvePrices(undefined).prices;

const inventory = (rows: (string | number)[][]): Grid => [["User", "Device", "Version", "Edition"], ...rows.map((r) => [r[0], r[1], r[2], r[3] ?? "Standard"])];
const ownedTable = (rows: (string | number)[][]): Grid => [["Type", "Edition", "Version", "Quantity"], ...rows];
const holdings = (r: AuditReport) => r.plan.holdings.map((h) => `${h.type} ${h.name} ${h.edition} ${h.version} rows ${h.rows.join(",")}`).sort();

describe("the issue's smallest cases", () => {
  test("per-device: one CAL per device, a user CAL only for a row with no device", () => {
    const r = runAudit(
      inventory([
        ["ann", "PC1", 2016],
        ["ann", "", 2016],
      ]),
      { mode: "per-device" },
    );
    expect(r.plan.user).toEqual({ standard: 1, enterprise: 0 });
    expect(r.plan.device).toEqual({ standard: 1, enterprise: 0 });
    expect(holdings(r)).toEqual(["device PC1 standard 2016 rows 2", "user ann standard 2016 rows 3"]);
  });

  test("per-device with an owned 2010 user CAL and 2019 device CAL: compliant", () => {
    const owned = ownedTable([
      ["User", "Standard", 2010, 1],
      ["Device", "Standard", 2019, 1],
    ]);
    const r = runAudit(
      inventory([
        ["ann", "", 2010],
        ["ann", "PC1", 2019],
      ]),
      { mode: "per-device", owned },
    );
    expect(r.status).toBe("compliant");
    expect(holdings(r)).toEqual(["device PC1 standard 2019 rows 3", "user ann standard 2010 rows 2"]);
  });

  test("per-user mirrors it: one CAL per user, a device CAL only for a row with no user", () => {
    const r = runAudit(
      inventory([
        ["ann", "PC1", 2016],
        ["", "PC1", 2016],
      ]),
      { mode: "per-user" },
    );
    expect(r.plan.user).toEqual({ standard: 1, enterprise: 0 });
    expect(r.plan.device).toEqual({ standard: 1, enterprise: 0 });
    expect(holdings(r)).toEqual(["device PC1 standard 2016 rows 3", "user ann standard 2016 rows 2"]);
  });

  test("a kiosk's device CAL keeps ann's user CAL at 2010 (mixed, auto, per-device)", () => {
    const grid = inventory([
      ["ann", "", 2010],
      ["ann", "KIOSK", 2019],
      ["bob", "KIOSK", 2019],
    ]);
    const owned = ownedTable([
      ["User", "Standard", 2010, 1],
      ["Device", "Standard", 2019, 1],
    ]);
    for (const mode of ["mixed", "auto", "per-device"]) {
      const r = runAudit(grid, { mode, owned });
      expect(r.status).toBe("compliant");
      expect(holdings(r)).toEqual(["device KIOSK standard 2019 rows 3,4", "user ann standard 2010 rows 2"]);
    }
    // Without an owned table the same placement keeps versions lowest.
    expect(holdings(runAudit(grid, { mode: "mixed" }))).toEqual(["device KIOSK standard 2019 rows 3,4", "user ann standard 2010 rows 2"]);
    // Per-user gives ann and bob user CALs by definition: two 2019 user CALs, one owned 2010 does not reach.
    const perUser = runAudit(grid, { mode: "per-user", owned });
    expect(perUser.status).toBe("non-compliant");
    expect(holdings(perUser)).toEqual(["user ann standard 2019 rows 2,3", "user bob standard 2019 rows 4"]);
  });

  test("an Enterprise row goes to the holder whose Enterprise CAL it does not raise", () => {
    const grid = inventory([
      ["ann", "", 2016, "Enterprise"],
      ["ann", "KIOSK", 2019, "Enterprise"],
      ["", "KIOSK", 2019, "Enterprise"],
    ]);
    const r = runAudit(grid, { mode: "mixed" });
    expect(holdings(r)).toEqual([
      "device KIOSK enterprise 2019 rows 3,4",
      "device KIOSK standard 2019 rows 3,4",
      "user ann enterprise 2016 rows 2",
      "user ann standard 2016 rows 2",
    ]);
  });

  test("when a row raises a version either way, it goes where the owned CALs make it cheapest", () => {
    // ann and PC1 are both forced (each has a row of its own at 2010); their shared 2019 row raises one of them.
    const grid = inventory([
      ["ann", "", 2010],
      ["", "PC1", 2010],
      ["ann", "PC1", 2019],
    ]);
    const ownsUser2019 = ownedTable([
      ["User", "Standard", 2019, 1],
      ["Device", "Standard", 2010, 1],
    ]);
    const ownsDevice2019 = ownedTable([
      ["User", "Standard", 2010, 1],
      ["Device", "Standard", 2019, 1],
    ]);
    const a = runAudit(grid, { mode: "mixed", owned: ownsUser2019 });
    expect(a.status).toBe("compliant");
    expect(holdings(a)).toEqual(["device PC1 standard 2010 rows 3", "user ann standard 2019 rows 2,4"]);
    const b = runAudit(grid, { mode: "mixed", owned: ownsDevice2019 });
    expect(b.status).toBe("compliant");
    expect(holdings(b)).toEqual(["device PC1 standard 2019 rows 3,4", "user ann standard 2010 rows 2"]);
  });
});

describe("BuyCost (the searches' cost to buy) equals the position's", () => {
  test("on random requirements and owned tables", () => {
    const rnd = rng(7);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
    for (let t = 0; t < 400; t++) {
      const required: Requirement[] = [];
      const owned: OwnedLicence[] = [];
      const counts = new Int32Array(4 * ALL.length);
      for (let k = Math.floor(rnd() * 8); k > 0; k--) {
        const type = pick(["user", "device"] as const);
        const edition = pick(["standard", "enterprise"] as const);
        const version = pick(MODERN);
        const quantity = 1 + Math.floor(rnd() * 4);
        // As in every plan, an Enterprise holder also holds a Standard CAL (of at least that version).
        for (const ed of edition === "enterprise" ? (["standard", "enterprise"] as const) : (["standard"] as const)) {
          required.push({ type, edition: ed, version, quantity });
          counts[((type === "device" ? 2 : 0) + (ed === "enterprise" ? 1 : 0)) * ALL.length + ALL.indexOf(version)] += quantity;
        }
      }
      for (let k = Math.floor(rnd() * 6); k > 0; k--) {
        const type = pick(["user", "device"] as const);
        const edition = pick(["standard", "enterprise"] as const);
        const version = pick(MODERN);
        const reach = { standard: edition === "standard" ? version : null, enterprise: edition === "enterprise" ? version : null, why: "", warnings: [] };
        owned.push({ product: "exchange-cal", productName: "CAL", type, edition, version, quantity: Math.floor(rnd() * 4), row: 2, reach });
      }
      const prices = { ...DEFAULT_PRICES, userStandard: 1 + Math.floor(rnd() * 90), deviceEnterprise: 10.5 };
      const merged = mergeRequirements(required);
      expect(buyCostOf(owned, prices).cost(counts)).toBe(Math.round(computePosition(merged, owned, prices).toBuyCost * 100));
    }
  });
});

// ------------------------------------------------------------------------------------------
// Brute force over placements of a plan's cover, written apart from the audit's code.
// ------------------------------------------------------------------------------------------

type Row = AccessRow;

/** Every placement of every row on a holder of the cover that covers it, in which every CAL keeps a row of its edition. */
function bestPlacement(rows: Row[], cover: Map<string, { enterprise: boolean }>, owned: OwnedLicence[]): { cost: number; sum: number } {
  const rank = (v: VersionId) => ALL.indexOf(v);
  const options = rows.map((r) => {
    const out: string[] = [];
    const holds = (key: string) => cover.has(key) && (!r.enterprise || cover.get(key)!.enterprise);
    if (r.user !== undefined && rank(r.version) >= rank("2003") && holds(`user ${r.user}`)) out.push(`user ${r.user}`);
    if (r.device !== undefined && holds(`device ${r.device}`)) out.push(`device ${r.device}`);
    return out;
  });
  let best = { cost: Infinity, sum: Infinity };
  const choice: string[] = new Array(rows.length);
  const visit = (i: number) => {
    if (i === rows.length) {
      const { std, ent } = versionsHeld(rows, choice);
      for (const [key, c] of cover) if (!std.has(key) || (c.enterprise && !ent.has(key))) return; // a CAL left with no row
      const req: Requirement[] = [];
      let sum = 0;
      for (const [m, edition] of [
        [std, "standard"],
        [ent, "enterprise"],
      ] as const) {
        for (const [key, v] of m) {
          req.push({ type: key.startsWith("user") ? "user" : "device", edition, version: ALL[v], quantity: 1 });
          sum += v;
        }
      }
      const cost = Math.round(computePosition(mergeRequirements(req), owned, DEFAULT_PRICES).toBuyCost * 100);
      if (cost < best.cost || (cost === best.cost && sum < best.sum)) best = { cost, sum };
      return;
    }
    for (const o of options[i]) {
      choice[i] = o;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

/** The CALs per-user and per-device give by their definitions (rows on 2003 or later). */
export function definedCover(rows: Row[], mode: string): Map<string, { enterprise: boolean }> {
  const cover = new Map<string, { enterprise: boolean }>();
  const give = (key: string, enterprise: boolean) => cover.set(key, { enterprise: (cover.get(key)?.enterprise ?? false) || enterprise });
  for (const r of rows) {
    const main = mode === "per-user" ? r.user : r.device;
    const other = mode === "per-user" ? r.device : r.user;
    const [mainType, otherType] = mode === "per-user" ? ["user", "device"] : ["device", "user"];
    if (main !== undefined) give(`${mainType} ${main}`, r.enterprise);
    else give(`${otherType} ${other}`, r.enterprise);
  }
  return cover;
}

const sortedCover = (c: Map<string, { enterprise: boolean }>) => [...c].map(([k, v]) => `${k}${v.enterprise ? " +E" : ""}`).sort();

describe("placement is the cheapest to buy, then the lowest in versions, of every placement of the cover", () => {
  test("brute force over placements, with random owned tables (per-user, per-device, mixed)", () => {
    const rnd = rng(1313);
    let checked = 0;
    for (let t = 0; t < 300; t++) {
      const rows = randomRows(rnd, 2 + Math.floor(rnd() * 7));
      const ownedGrid = ownedTable(randomOwned(rnd));
      const owned = readOwned(ownedGrid).licences;
      for (const mode of ["per-user", "per-device", "mixed"]) {
        const r = runAudit(accessGrid(rows), { mode, owned: ownedGrid });
        const cover = new Map<string, { enterprise: boolean }>();
        for (const h of r.plan.holdings) {
          const key = `${h.type} ${h.name}`;
          cover.set(key, { enterprise: (cover.get(key)?.enterprise ?? false) || h.edition === "enterprise" });
        }
        if (mode !== "mixed") expect(sortedCover(cover)).toEqual(sortedCover(definedCover(rows, mode)));
        const best = bestPlacement(rows, cover, owned);
        let sum = 0;
        for (const h of r.plan.holdings) sum += ALL.indexOf(h.version);
        expect({ mode, cost: Math.round(r.position.toBuyCost * 100), sum }).toEqual({ mode, ...best });
        checked++;
      }
    }
    expect(checked).toBe(900);
  });
});
