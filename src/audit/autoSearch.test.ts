// Seeded fuzz of the plans and of auto against brute-force solvers written here, apart from the audit's code.
import { mulberry32 } from "../../test/support/random";
import { minCostCover } from "../solver";
import { runAudit } from "./audit";
import { searchMixes } from "./autoSearch";
import { buyCostOf } from "./buyCost";
import { readInventory } from "./inventory";
import { readOwned } from "./owned";
import { buildPlan } from "./plans";
import { computePosition } from "./position";
import type { AuditReport, OwnedLicence, PriceInput, Prices, Requirement } from "./types";
import {
  accessGrid as grid,
  AccessRow,
  ALL_VERSIONS,
  mergeRequirements,
  versionsHeld,
  ownedGrid,
  randomOwned,
  randomRows,
} from "../../test/support/randomAccess";

const ALL = ALL_VERSIONS;
type Row = AccessRow;

interface Case {
  rows: Row[];
  owned: (string | number)[][];
  prices: Prices;
}

function randomCase(rnd: () => number): Case {
  const rows = randomRows(rnd, 1 + Math.floor(rnd() * 8));
  const owned = randomOwned(rnd);
  const price = () => 1 + Math.floor(rnd() * 9);
  return {
    rows,
    owned,
    prices: { userStandard: price(), userEnterprise: price(), deviceStandard: price(), deviceEnterprise: price(), server: 1, externalConnector: 1 },
  };
}

const priceInput = (p: Prices): PriceInput => ({
  userStandard: p.userStandard,
  userEnterprise: p.userEnterprise,
  deviceStandard: p.deviceStandard,
  deviceEnterprise: p.deviceEnterprise,
});
const cents = (x: number) => Math.round(x * 100);

/** Every plan is each row on its user or its device: the least (cost to buy, list cost) over all of them. */
function bruteBest(rows: Row[], owned: OwnedLicence[], prices: Prices): { toBuy: number; cost: number } {
  let best = { toBuy: Infinity, cost: Infinity };
  const choice: string[] = new Array(rows.length);
  const visit = (i: number) => {
    if (i === rows.length) {
      const { std, ent } = versionsHeld(rows, choice);
      const req: Requirement[] = [];
      let cost = 0;
      for (const [m, edition] of [
        [std, "standard"],
        [ent, "enterprise"],
      ] as const) {
        for (const [key, v] of m) {
          const type = key.startsWith("user") ? "user" : "device";
          req.push({ type, edition, version: ALL[v], quantity: 1 });
          cost += cents(prices[`${type}${edition === "standard" ? "Standard" : "Enterprise"}`]);
        }
      }
      const toBuy = cents(computePosition(mergeRequirements(req), owned, prices).toBuyCost);
      if (toBuy < best.toBuy || (toBuy === best.toBuy && cost < best.cost)) best = { toBuy, cost };
      return;
    }
    const r = rows[i];
    for (const o of [r.user !== undefined ? `user ${r.user}` : undefined, r.device !== undefined ? `device ${r.device}` : undefined]) {
      if (o === undefined) continue;
      choice[i] = o;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

/** The cheapest cover at list prices, by trying every level (none, Standard, Standard + Enterprise) of every holder. */
function bruteMinCover(rows: Row[], prices: Prices): number {
  const users = [...new Set(rows.flatMap((r) => (r.user === undefined ? [] : [r.user])))];
  const devices = [...new Set(rows.flatMap((r) => (r.device === undefined ? [] : [r.device])))];
  const holders = [...users.map((u) => `user ${u}`), ...devices.map((d) => `device ${d}`)];
  let best = Infinity;
  const level = new Map<string, number>();
  const visit = (k: number) => {
    if (k === holders.length) {
      const covers = (h: string | undefined, need: number) => h !== undefined && (level.get(h) ?? 0) >= need;
      for (const r of rows) {
        const need = r.enterprise ? 2 : 1;
        if (!covers(r.user === undefined ? undefined : `user ${r.user}`, need) && !covers(r.device === undefined ? undefined : `device ${r.device}`, need))
          return;
      }
      let cost = 0;
      for (const [h, l] of level) {
        const type = h.startsWith("user") ? "user" : "device";
        if (l >= 1) cost += cents(prices[`${type}Standard`]);
        if (l >= 2) cost += cents(prices[`${type}Enterprise`]);
      }
      best = Math.min(best, cost);
      return;
    }
    for (const l of [0, 1, 2]) {
      level.set(holders[k], l);
      visit(k + 1);
    }
  };
  visit(0);
  return best;
}

function checkEveryRowCovered(rows: Row[], report: AuditReport): void {
  rows.forEach((r, i) => {
    const sheetRow = i + 2;
    const std = report.plan.holdings.filter((h) => h.edition === "standard" && h.rows.includes(sheetRow));
    expect(std).toHaveLength(1); // one CAL per row on the ledger: never counted twice
    expect([`user ${r.user}`, `device ${r.device}`]).toContain(`${std[0].type} ${std[0].name}`);
    expect(ALL.indexOf(std[0].version)).toBeGreaterThanOrEqual(ALL.indexOf(r.version));
    if (r.enterprise) {
      const ent = report.plan.holdings.filter((h) => h.edition === "enterprise" && h.rows.includes(sheetRow));
      expect(ent).toHaveLength(1);
      expect(ent[0].name).toBe(std[0].name);
      expect(ALL.indexOf(ent[0].version)).toBeGreaterThanOrEqual(ALL.indexOf(r.version));
    }
  });
  for (const type of ["user", "device"] as const) {
    expect(report.plan.holdings.filter((h) => h.type === type && h.edition === "standard")).toHaveLength(report.plan[type].standard);
    expect(report.plan.holdings.filter((h) => h.type === type && h.edition === "enterprise")).toHaveLength(report.plan[type].enterprise);
  }
}

/** Per-user and per-device as defined: counts of holders with (any / Enterprise) rows on their side, or one-sided rows on the other. */
function definedCounts(rows: Row[], mode: "per-user" | "per-device") {
  const main = mode === "per-user" ? "user" : "device";
  const other = main === "user" ? "device" : "user";
  const held = { user: new Map<string, boolean>(), device: new Map<string, boolean>() };
  for (const r of rows) {
    const side = r[main] !== undefined ? main : other;
    const name = r[side]!;
    held[side].set(name, (held[side].get(name) ?? false) || r.enterprise);
  }
  const count = (m: Map<string, boolean>) => ({ standard: m.size, enterprise: [...m.values()].filter(Boolean).length });
  return { user: count(held.user), device: count(held.device) };
}

/** No owned CAL counted twice: per family, the needs met equal the owned CALs used, never more than owned. */
function checkPosition(report: AuditReport): void {
  const fam = new Map<string, { met: number; used: number; owned: number }>();
  for (const l of report.position.lines) {
    const key = `${l.type}|${l.edition}`;
    const f = fam.get(key) ?? { met: 0, used: 0, owned: 0 };
    expect(l.surplus).toBeGreaterThanOrEqual(0);
    expect(l.surplus).toBeLessThanOrEqual(l.owned);
    f.met += l.required - l.shortfall;
    f.used += l.owned - l.surplus;
    f.owned += l.owned;
    fam.set(key, f);
  }
  for (const f of fam.values()) {
    expect(f.met).toBe(f.used);
    expect(f.used).toBeLessThanOrEqual(f.owned);
  }
}

describe("seeded fuzz: plans and auto against brute force", () => {
  test("300 small inventories with owned tables", () => {
    const rnd = mulberry32(2026);
    for (let t = 0; t < 300; t++) {
      const c = randomCase(rnd);
      const owned = readOwned(ownedGrid(c.owned)).licences;
      const auto = runAudit(grid(c.rows), { mode: "auto", owned: ownedGrid(c.owned), prices: priceInput(c.prices) });
      const at = `case ${t}: ${JSON.stringify(c)}`;
      checkEveryRowCovered(c.rows, auto);
      checkPosition(auto);
      for (const mode of ["per-user", "per-device"] as const) {
        const plan = auto.plans.find((e) => e.plan.mode === mode)!.plan;
        expect({ at, user: plan.user, device: plan.device }).toEqual({ at, ...definedCounts(c.rows, mode) });
      }
      const best = bruteBest(c.rows, owned, c.prices);
      expect({ at, toBuy: cents(auto.position.toBuyCost), cost: cents(auto.plan.cost) }).toEqual({ at, toBuy: best.toBuy, cost: best.cost });
      expect(auto.search?.optimal).toBe("proven");
      expect(cents(auto.search!.lowerBound!)).toBe(best.toBuy);

      const mixed = runAudit(grid(c.rows), { mode: "mixed", prices: priceInput(c.prices) });
      checkEveryRowCovered(c.rows, mixed);
      expect({ at, cost: cents(mixed.plan.cost) }).toEqual({ at, cost: bruteMinCover(c.rows, c.prices) });
    }
  });

  test("the parametric search alone: its lower bound never passes the optimum, its pick never beats it", () => {
    const rnd = mulberry32(4711);
    let bounded = 0;
    for (let t = 0; t < 200; t++) {
      const c = randomCase(rnd);
      const inv = readInventory(grid(c.rows));
      const owned = readOwned(ownedGrid(c.owned)).licences;
      const buy = buyCostOf(owned, c.prices);
      const base = buildPlan(inv, "mixed", c.prices, undefined, minCostCover, buy);
      if (!base.ok) throw new Error(base.reason);
      const search = searchMixes(inv, c.prices, minCostCover, buy, base.draft, 16, 0); // exact search off
      const best = bruteBest(c.rows, owned, c.prices);
      if (search.lowerBound !== null) {
        expect(search.lowerBound).toBeLessThanOrEqual(best.toBuy);
        bounded++;
      }
      for (const p of [base.draft, ...search.plans.map((x) => x.draft)]) {
        expect(cents(computePosition(p.plan.requirements, owned, c.prices).toBuyCost)).toBeGreaterThanOrEqual(best.toBuy);
      }
      expect(search.cuts).toBeLessThanOrEqual(16);
    }
    expect(bounded).toBeGreaterThan(100);
  });

  test("auto without an owned table: the list-price min cut, proven", () => {
    const report = runAudit(grid([{ user: "ann", device: "PC1", version: "2019", enterprise: false }]), { mode: "auto" });
    expect(report.search).toEqual({ cuts: 0, plansVisited: 3, exactSearch: "not needed", optimal: "proven", lowerBound: 67 });
  });

  test("beyond the exact limit the search says so, counts its cuts, and bounds its pick", () => {
    // 30 users on 30 kiosks, each pair seen once: 30 choices, over the exact limit.
    const rows: Row[] = [];
    for (let k = 0; k < 30; k++) {
      rows.push({ user: `u${k}`, device: `k${k}`, version: "2019", enterprise: false });
      rows.push({ user: `u${k}`, device: `k${(k + 1) % 30}`, version: "2016", enterprise: false });
    }
    const owned = ownedGrid([
      ["User", "Standard", "2019", 10],
      ["Device", "Standard", "2016", 25],
    ]);
    const report = runAudit(grid(rows), { mode: "auto", owned });
    expect(report.search!.exactSearch).toBe("too many choices");
    expect(report.search!.cuts).toBeGreaterThan(0);
    expect(report.search!.lowerBound).not.toBeNull();
    expect(report.search!.lowerBound!).toBeLessThanOrEqual(report.position.toBuyCost);
    expect(report.search!.optimal).toBe(report.search!.lowerBound === report.position.toBuyCost ? "proven" : "best found");
    for (const e of report.plans) expect(e.position.toBuyCost).toBeGreaterThanOrEqual(report.position.toBuyCost);
  });
});
