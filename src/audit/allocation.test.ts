import fc from "fast-check";
import { Allocation, HolderClass, Lot, allocateHolders, allocationCost } from "./allocation";

/**
 * Brute force: every way of giving each licence unit to one holder (or to nobody). A holder
 * has Standard when a unit it holds gives Standard reaching its version, and the same for
 * Enterprise; a suite or plan unit goes to ONE holder. The cheapest leftover to buy wins.
 */
function bruteForce(classes: HolderClass[], lots: Lot[], prices: { standard: number; enterprise: number }): number {
  const holders: { s: number; e: number }[] = [];
  for (const c of classes) for (let k = 0; k < c.count; k++) holders.push({ s: c.standard, e: c.enterprise });
  const units: Lot[] = [];
  for (const l of lots) for (let k = 0; k < l.quantity; k++) units.push(l);
  let best = Infinity;
  const owner = new Array<number>(units.length).fill(-1);
  const walk = (u: number) => {
    if (u === units.length) {
      let cost = 0;
      holders.forEach((h, i) => {
        let std = false;
        let ent = h.e < 0;
        units.forEach((x, j) => {
          if (owner[j] !== i) return;
          if (x.standard >= h.s) std = true;
          if (h.e >= 0 && x.enterprise >= h.e) ent = true;
        });
        if (!std) cost += prices.standard;
        if (!ent) cost += prices.enterprise;
      });
      best = Math.min(best, cost);
      return;
    }
    for (let o = -1; o < holders.length; o++) {
      owner[u] = o;
      walk(u + 1);
    }
  };
  walk(0);
  return best;
}

/** What a valid allocation must satisfy, whatever it chose. */
function checkShape(a: Allocation, classes: HolderClass[], lots: Lot[]): void {
  classes.forEach((c, i) => {
    const std = [...a.standardFrom[i].values()].reduce((x, y) => x + y, 0);
    expect(std + a.standardUnmet[i]).toBe(c.count);
    for (const lot of a.standardFrom[i].keys()) expect(lots[lot].standard).toBeGreaterThanOrEqual(c.standard);
    if (c.enterprise < 0) {
      expect(a.enterpriseUnmet[i]).toBe(0);
      expect(a.enterpriseFrom[i].size).toBe(0);
    } else {
      const ent = [...a.enterpriseFrom[i].values()].reduce((x, y) => x + y, 0);
      expect(ent + a.enterpriseUnmet[i]).toBe(c.count);
      for (const lot of a.enterpriseFrom[i].keys()) expect(lots[lot].enterprise).toBeGreaterThanOrEqual(c.enterprise);
    }
  });
  // No licence used more often than owned; a suite counted once even when it gave both rights.
  lots.forEach((l, j) => {
    expect(a.used[j]).toBeLessThanOrEqual(l.quantity);
    expect(a.used[j]).toBeGreaterThanOrEqual(0);
  });
}

const V = 4; // versions 0..3 are enough to show every reach relation
const holderClass = fc
  .tuple(fc.integer({ min: 0, max: V - 1 }), fc.integer({ min: -1, max: V - 1 }), fc.integer({ min: 1, max: 2 }))
  .map(([s, e, count]) => ({ standard: s, enterprise: Math.min(e, s), count }));
const lot = fc
  .tuple(fc.constantFrom("standard", "enterprise", "both"), fc.integer({ min: 0, max: V - 1 }), fc.integer({ min: 1, max: 2 }))
  .map(([kind, reach, quantity]) => ({ standard: kind === "enterprise" ? -1 : reach, enterprise: kind === "standard" ? -1 : reach, quantity }));

describe("allocateHolders", () => {
  test("hand-checked: a suite is not split between a Standard-only holder and another's Enterprise", () => {
    // ann needs Standard 2013; bob needs Standard 2019 and Enterprise 2013. One Enterprise CAL Suite
    // reaching 2016 and one boxed 2019 Standard CAL: the suite covers ann OR bob's Enterprise, not both.
    const classes = [
      { standard: 0, enterprise: -1, count: 1 },
      { standard: 2, enterprise: 0, count: 1 },
    ];
    const lots = [
      { standard: 1, enterprise: 1, quantity: 1 },
      { standard: 2, enterprise: -1, quantity: 1 },
    ];
    const a = allocateHolders(classes, lots, { standard: 10, enterprise: 7 });
    expect(allocationCost(a, { standard: 10, enterprise: 7 })).toBe(7);
    expect(a.enterpriseUnmet).toEqual([0, 1]);
    expect(a.standardFrom[0].get(0)).toBe(1);
  });

  test("hand-checked: an Enterprise CAL goes where a Standard CAL covers the holder, a suite where it covers all", () => {
    // X: Standard 2019, Enterprise 2013; Y: Standard and Enterprise 2016. Owned: suite to 2019,
    // Standard CAL 2019, Enterprise CAL 2013, Standard CAL 2016: X takes the boxed pair, Y the suite.
    const classes = [
      { standard: 3, enterprise: 1, count: 1 },
      { standard: 2, enterprise: 2, count: 1 },
    ];
    const lots = [
      { standard: 3, enterprise: 3, quantity: 1 },
      { standard: 3, enterprise: -1, quantity: 1 },
      { standard: -1, enterprise: 1, quantity: 1 },
      { standard: 2, enterprise: -1, quantity: 1 },
    ];
    const a = allocateHolders(classes, lots, { standard: 10, enterprise: 7 });
    expect(allocationCost(a, { standard: 10, enterprise: 7 })).toBe(0);
    expect(a.enterpriseFrom[0].get(2)).toBe(1);
    expect(a.enterpriseFrom[1].get(0)).toBe(1);
  });

  test("equals the brute force on random small entitlement sets", () => {
    fc.assert(
      fc.property(
        fc.array(holderClass, { minLength: 1, maxLength: 3 }),
        fc.array(lot, { minLength: 1, maxLength: 3 }),
        fc.constantFrom([10, 7], [7, 10], [10, 10], [3, 20]),
        (classes, lots, [ps, pe]) => {
          const holders = classes.reduce((s, c) => s + c.count, 0);
          const units = lots.reduce((s, l) => s + l.quantity, 0);
          fc.pre(Math.pow(holders + 1, units) <= 20000);
          const prices = { standard: ps, enterprise: pe };
          const a = allocateHolders(classes, lots, prices);
          checkShape(a, classes, lots);
          expect(allocationCost(a, prices)).toBe(bruteForce(classes, lots, prices));
        },
      ),
      { numRuns: 3000, seed: 14 },
    );
  });
});
