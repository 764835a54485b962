import fc from "fast-check";
import { runAudit } from "./audit";
import { allocate } from "./position";
import type { Grid } from "../sheet";
import type { VersionId } from "../licensing";

const VERSIONS: VersionId[] = ["2010", "2013", "2016", "2019", "SE"];

/** Small random inventories: a few users and devices, some rows missing one side. */
const inventory = fc
  .array(
    fc.record({
      user: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      device: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      version: fc.constantFrom(...VERSIONS),
      enterprise: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((rows) => rows.filter((r) => r.user !== undefined || r.device !== undefined));

const toGrid = (rows: { user?: number; device?: number; version: string; enterprise: boolean }[]): Grid => [
  ["User", "Device", "Version", "Edition"],
  ...rows.map((r) => [
    r.user === undefined ? "" : `u${r.user}`,
    r.device === undefined ? "" : `d${r.device}`,
    r.version,
    r.enterprise ? "Enterprise" : "Standard",
  ]),
];

const prices = fc.record({
  userStandard: fc.integer({ min: 1, max: 9 }),
  userEnterprise: fc.integer({ min: 1, max: 9 }),
  deviceStandard: fc.integer({ min: 1, max: 9 }),
  deviceEnterprise: fc.integer({ min: 1, max: 9 }),
});

describe("plans (properties)", () => {
  test("every row is covered by a CAL of the right edition and a version at least the row's", () => {
    fc.assert(
      fc.property(inventory, fc.constantFrom("per-user", "per-device", "mixed"), prices, (rows, mode, p) => {
        const grid = toGrid(rows);
        const report = runAudit(grid, { mode, prices: p });
        const rank = (v: string) => VERSIONS.indexOf(v as VersionId);
        for (let i = 0; i < rows.length; i++) {
          const sheetRow = i + 2;
          const holders = report.plan.holdings.filter((h) => h.rows.includes(sheetRow));
          const std = holders.find((h) => h.edition === "standard");
          expect(std).toBeDefined();
          expect(rank(std!.version)).toBeGreaterThanOrEqual(rank(rows[i].version));
          if (rows[i].enterprise) {
            const ent = holders.find((h) => h.edition === "enterprise");
            expect(ent).toBeDefined();
            expect(ent!.name).toBe(std!.name);
            expect(rank(ent!.version)).toBeGreaterThanOrEqual(rank(rows[i].version));
          }
          // The holder named on the ledger is the row's user or device.
          const r = rows[i];
          expect([r.user === undefined ? null : `u${r.user}`, r.device === undefined ? null : `d${r.device}`]).toContain(std!.name);
        }
      }),
      { numRuns: 200 },
    );
  });

  test("mixed never costs more than per-user or per-device", () => {
    fc.assert(
      fc.property(inventory, prices, (rows, p) => {
        const report = runAudit(toGrid(rows), { prices: p });
        const cost = (mode: string) => report.plans.find((e) => e.plan.mode === mode)!.plan.cost;
        expect(cost("mixed")).toBeLessThanOrEqual(cost("per-user"));
        expect(cost("mixed")).toBeLessThanOrEqual(cost("per-device"));
      }),
      { numRuns: 200 },
    );
  });

  test("allocation never counts an owned CAL twice and never covers a newer need with an older CAL", () => {
    const counts = fc.dictionary(fc.constantFrom(...VERSIONS), fc.integer({ min: 0, max: 20 }));
    fc.assert(
      fc.property(counts, counts, (req, own) => {
        const required = new Map(Object.entries(req) as [VersionId, number][]);
        const owned = new Map(Object.entries(own) as [VersionId, number][]);
        const { unmet, used, downVersion } = allocate(required, owned);
        for (const [v, n] of used) expect(n).toBeLessThanOrEqual(owned.get(v)!);
        const totalUsed = [...used.values()].reduce((a, b) => a + b, 0);
        const totalUnmet = [...unmet.values()].reduce((a, b) => a + b, 0);
        const totalRequired = [...required.values()].reduce((a, b) => a + b, 0);
        expect(totalUsed + totalUnmet).toBe(totalRequired);
        for (const [need, have] of downVersion) expect(VERSIONS.indexOf(have)).toBeGreaterThan(VERSIONS.indexOf(need));
        // Greedy is optimal here: no unmet need has a spare owned CAL that could cover it.
        for (const [need] of unmet) {
          for (const [have, n] of owned) {
            if (VERSIONS.indexOf(have) >= VERSIONS.indexOf(need)) expect(used.get(have) ?? 0).toBe(n);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
