import { VERSIONS } from "../licensing";
import type { OwnedLicence, Prices } from "./types";

/**
 * "What would this plan cost to buy, given what is owned?" for user and device CALs, fast
 * enough to ask thousands of times while a plan's rows are placed (plans.ts) and while auto
 * searches for the cheapest plan (autoSearch.ts). It is the one place those searches read the
 * owned table: the reported position is still computePosition's, and a test keeps the two equal.
 *
 * Families, in this order: user Standard, user Enterprise, device Standard, device Enterprise.
 * A plan is given as counts[family * V + version index] = holders needing that family at
 * exactly that version. An owned CAL of version o covers a need of version v when o >= v
 * (R7), so these ranges are nested and the shortfall of a family is Hall's deficiency:
 * max(0, max over k of (needs at version >= k) - (owned at version >= k)), which is what the
 * position's greedy allocation leaves unmet. Owned Enterprise CALs beyond the Standard CALs
 * held cannot count (R4), but that cap never changes the Enterprise shortfall: every Enterprise
 * holder also holds a Standard CAL, so at least as many newest Enterprise CALs stay countable
 * as there are Enterprise needs (docs/licensing-rules.md).
 */
export interface BuyCost {
  /** Cents to buy for the plan described by counts (length 4 * VERSIONS.length). */
  cost(counts: Int32Array): number;
  /** True when no user or device CAL is owned: the cost then depends on the counts only, not on versions. */
  readonly versionBlind: boolean;
  /** Owned CALs per family, any version (for lower bounds). */
  readonly ownedTotal: readonly number[];
  /** Price per family, in cents. */
  readonly priceCents: readonly number[];
}

export const FAMILIES = 4;
export const V = VERSIONS.length;

/** The price of each family, as the position prices a shortfall (unitPrice in position.ts). */
const FAMILY_PRICES: (keyof Prices)[] = ["userStandard", "userEnterprise", "deviceStandard", "deviceEnterprise"];

export function familyOf(type: string, edition: string): number {
  return (type === "device" ? 2 : 0) + (edition === "enterprise" ? 1 : 0);
}

export function buyCostOf(owned: readonly OwnedLicence[], prices: Prices): BuyCost {
  const atLeast = new Int32Array(FAMILIES * V);
  const ownedTotal = [0, 0, 0, 0];
  // Each owned line counts in the families it gives a right in, up to the version it reaches
  // (its SA dates and the SE rule, licensing/entitlements.ts). A suite or plan giving both
  // counts in both here, as if it could be split: a bound for the searches; the position's
  // allocation (allocation.ts) gives one licence to one holder.
  for (const o of owned) {
    if (o.type !== "user" && o.type !== "device") continue;
    for (const edition of ["standard", "enterprise"] as const) {
      const top = edition === "standard" ? o.reach.standard : o.reach.enterprise;
      if (!top) continue;
      const f = familyOf(o.type, edition);
      const v = VERSIONS.findIndex((x) => x.id === top);
      for (let k = 0; k <= v; k++) atLeast[f * V + k] += o.quantity;
      ownedTotal[f] += o.quantity;
    }
  }
  const priceCents = FAMILY_PRICES.map((k) => Math.round(prices[k] * 100));
  return {
    versionBlind: ownedTotal.every((n) => n === 0),
    ownedTotal,
    priceCents,
    cost(counts: Int32Array): number {
      let total = 0;
      for (let f = 0; f < FAMILIES; f++) {
        let need = 0;
        let worst = 0;
        for (let k = V - 1; k >= 0; k--) {
          need += counts[f * V + k];
          const gap = need - atLeast[f * V + k];
          if (gap > worst) worst = gap;
        }
        total += worst * priceCents[f];
      }
      return total;
    },
  };
}
