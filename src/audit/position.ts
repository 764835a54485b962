import { CURRENT_VERSION, VERSIONS, VersionId, versionIndex, versionRule } from "../licensing";
import { HolderClass, Lot, allocateHolders } from "./allocation";
import { costOf } from "./prices";
import { sortRequirements } from "./plans";
import type { CalKey, EntitlementUse, HolderCount, LineStatus, OwnedLicence, Position, PositionLine, Prices, Requirement, ToBuy } from "./types";

/**
 * Plan requirements against owned licences: the licence position per (type, edition,
 * version), what covered each line, what to buy and what is spare. User and device CALs are
 * allocated holder by holder class (allocation.ts), so a suite or plan licence covers one
 * holder's Standard and Enterprise needs together; per-server CALs and External Connectors
 * keep their own families (one server's CALs; connectors by version).
 */

const rankOf = (v: VersionId) => versionRule(v).rank;

function unitPrice(prices: Prices, key: Pick<CalKey, "type" | "edition">): number {
  if (key.type === "server") return prices.server;
  if (key.type === "connector") return prices.externalConnector;
  if (key.type === "user") return key.edition === "enterprise" ? prices.userEnterprise : prices.userStandard;
  return key.edition === "enterprise" ? prices.deviceEnterprise : prices.deviceStandard;
}

const label = (k: Pick<CalKey, "type" | "edition" | "server">) =>
  k.type === "server"
    ? `per-server CALs for ${k.server}`
    : k.type === "connector"
      ? "External Connector licences"
      : `${k.edition === "enterprise" ? "Enterprise" : "Standard"} ${k.type} CALs`;

/** One position line under construction, keyed by type|edition|version|server. */
interface Line extends PositionLine {
  used: number; // owned licences of exactly this key that covered something
  value: number; // what those owned licences cost (unit price, or the price list)
}

class Ledger {
  readonly lines = new Map<string, Line>();
  line(k: CalKey): Line {
    const id = `${k.type}|${k.edition}|${k.version}|${k.type === "server" ? (k.server ?? "").toLowerCase() : ""}`;
    let l = this.lines.get(id);
    if (!l) {
      l = {
        type: k.type,
        edition: k.edition,
        version: k.version,
        required: 0,
        owned: 0,
        shortfall: 0,
        surplus: 0,
        status: "compliant",
        coveredBy: [],
        used: 0,
        value: 0,
      };
      if (k.type === "server") l.server = k.server;
      this.lines.set(id, l);
    }
    return l;
  }
  cover(k: CalKey, product: string, n: number): void {
    if (n <= 0) return;
    const l = this.line(k);
    const c = l.coveredBy.find((x) => x.product === product);
    if (c) c.quantity += n;
    else l.coveredBy.push({ product, quantity: n });
  }
}

/** Holder classes from the plan, or paired from the requirements when the plan does not say (newest with newest). */
function holderClasses(requirements: Requirement[], holders: HolderCount[] | undefined, type: "user" | "device"): HolderClass[] {
  if (holders) {
    return holders
      .filter((h) => h.type === type && h.quantity > 0)
      .map((h) => ({ standard: versionIndex(h.standard), enterprise: h.enterprise ? versionIndex(h.enterprise) : -1, count: h.quantity }));
  }
  const std: number[] = [];
  const ent: number[] = [];
  for (const r of requirements) {
    if (r.type !== type) continue;
    for (let k = 0; k < r.quantity; k++) (r.edition === "enterprise" ? ent : std).push(versionIndex(r.version));
  }
  std.sort((a, b) => b - a);
  ent.sort((a, b) => b - a);
  const counts = new Map<string, HolderClass>();
  std.forEach((s, i) => {
    const e = i < ent.length ? Math.min(ent[i], s) : -1;
    const key = `${s}|${e}`;
    const c = counts.get(key) ?? { standard: s, enterprise: e, count: 0 };
    c.count++;
    counts.set(key, c);
  });
  return [...counts.values()];
}

/**
 * The position of one plan against the owned table. `holders` (from the plan) pairs each
 * holder's Standard and Enterprise versions; issue 13's plan search calls this for each
 * candidate, so it stays one call with the plan's own data.
 */
export function computePosition(requirements: Requirement[], owned: OwnedLicence[], prices: Prices, holders?: HolderCount[]): Position {
  const ledger = new Ledger();
  const notes: string[] = [];
  const usedOf = new Map<OwnedLicence, number>();
  let exact = true;
  for (const r of requirements) ledger.line(r).required += r.quantity;
  for (const o of owned) {
    if (o.product !== "exchange-cal" && o.product !== "external-connector") continue;
    const l = ledger.line({ type: o.type, edition: o.edition, version: o.version!, server: o.server });
    l.owned += o.quantity;
  }
  for (const type of ["user", "device"] as const) {
    const mine = owned.filter((o) => o.type === type);
    if (!requirements.some((r) => r.type === type) && mine.length === 0) continue;
    exact = allocateType(type, requirements, mine, prices, holders, ledger, usedOf, notes) && exact;
  }
  allocateFamilies(requirements, owned, ledger, usedOf, notes);
  if (!exact) {
    notes.push(
      "Too many ways to split the Enterprise holders between suites or plans and boxed CALs to try each: the split was searched (coordinate descent), so a cheaper allocation may exist.",
    );
  }

  const lines: PositionLine[] = [];
  const toBuy: ToBuy[] = [];
  let surplusCents = 0;
  for (const l of ledger.lines.values()) {
    l.surplus = Math.max(0, l.owned - l.used);
    l.status = (l.shortfall > 0 ? "shortfall" : l.surplus > 0 ? "surplus" : "compliant") as LineStatus;
    if (l.shortfall > 0) {
      const price = unitPrice(prices, l);
      toBuy.push({
        type: l.type,
        edition: l.edition,
        version: l.version,
        ...(l.type === "server" ? { server: l.server } : {}),
        quantity: l.shortfall,
        unitPrice: price,
        cost: costOf([[l.shortfall, price]]),
      });
    }
    const { used: _u, value: _v, ...line } = l;
    void _u;
    void _v;
    lines.push(line);
  }
  for (const o of owned) {
    if (o.product !== "exchange-cal" && o.product !== "external-connector") continue;
    const spare = o.quantity - (usedOf.get(o) ?? 0);
    if (spare > 0) surplusCents += spare * Math.round((o.unitPrice ?? unitPrice(prices, o)) * 100);
  }
  const toBuyCost = costOf(toBuy.map((t) => [t.quantity, t.unitPrice]));
  if (toBuy.length > 0) {
    notes.push(`New CALs are sold at the current version (${versionRule(CURRENT_VERSION).name}); a newer CAL covers the older servers listed.`);
  }
  return {
    lines: sortRequirements(lines),
    totals: positionTotals(lines),
    status: lines.some((l) => l.shortfall > 0) ? "non-compliant" : "compliant",
    toBuy: sortRequirements(toBuy),
    toBuyCost,
    surplusValue: surplusCents / 100,
    notes,
    entitlements: owned.map((o) => entitlementUse(o, usedOf.get(o) ?? 0)),
    exact,
  };
}

function entitlementUse(o: OwnedLicence, used: number): EntitlementUse {
  return {
    row: o.row,
    product: o.productName,
    type: o.type,
    quantity: o.quantity,
    standard: o.reach.standard,
    enterprise: o.reach.enterprise,
    why: o.reach.why,
    used,
    unused: o.quantity - used,
  };
}

/** User or device CALs: holders against every owned line of that type that gives a right. */
function allocateType(
  type: "user" | "device",
  requirements: Requirement[],
  owned: OwnedLicence[],
  prices: Prices,
  holders: HolderCount[] | undefined,
  ledger: Ledger,
  usedOf: Map<OwnedLicence, number>,
  notes: string[],
): boolean {
  const classes = holderClasses(requirements, holders, type);
  const lots: Lot[] = owned.map((o) => ({
    standard: o.reach.standard ? versionIndex(o.reach.standard) : -1,
    enterprise: o.reach.enterprise ? versionIndex(o.reach.enterprise) : -1,
    quantity: o.quantity,
  }));
  const stdPrice = unitPrice(prices, { type, edition: "standard" });
  const entPrice = unitPrice(prices, { type, edition: "enterprise" });
  const a = allocateHolders(classes, lots, { standard: stdPrice, enterprise: entPrice });
  owned.forEach((o, l) => usedOf.set(o, (usedOf.get(o) ?? 0) + a.used[l]));
  // Lines: what covered each version's need, and what is left to buy.
  const downVersion = new Map<string, number>();
  classes.forEach((c, i) => {
    for (const edition of ["standard", "enterprise"] as const) {
      const level = edition === "standard" ? c.standard : c.enterprise;
      if (level < 0) continue;
      const version = VERSIONS[level].id;
      const from = edition === "standard" ? a.standardFrom[i] : a.enterpriseFrom[i];
      for (const [lot, n] of from) {
        const o = owned[lot];
        ledger.cover({ type, edition, version }, o.productName, n);
        if (o.product === "exchange-cal" && o.edition === edition) {
          if (o.version === version) ledger.line({ type, edition, version }).used += n;
          else {
            ledger.line({ type, edition, version: o.version! }).used += n;
            const key = `${edition}|${version}|${o.version}`;
            downVersion.set(key, (downVersion.get(key) ?? 0) + n);
          }
        }
      }
      ledger.line({ type, edition, version }).shortfall += edition === "standard" ? a.standardUnmet[i] : a.enterpriseUnmet[i];
    }
  });
  for (const [key, n] of downVersion) {
    const [edition, need, have] = key.split("|") as ["standard" | "enterprise", VersionId, VersionId];
    const how = rankOf(have) > rankOf(need) ? "down-version rights" : "Software Assurance: the version came out while SA was active";
    notes.push(`${n} ${label({ type, edition })} needed at version ${need} are covered by owned version ${have} CALs (${how}).`);
  }
  enterpriseNote(
    type,
    owned,
    a.standardUnmet.reduce((x, y) => x + y, 0),
    notes,
  );
  return a.exact !== false;
}

/**
 * R4: an Enterprise CAL is an add-on; owned boxed Enterprise CALs beyond the Standard rights
 * held after the purchase (owned lines giving Standard, plus Standard CALs to buy) cannot count.
 */
function enterpriseNote(type: "user" | "device", owned: OwnedLicence[], stdToBuy: number, notes: string[]): void {
  const entOwned = owned.filter((o) => o.product === "exchange-cal" && o.edition === "enterprise").reduce((s, o) => s + o.quantity, 0);
  if (entOwned === 0) return;
  const stdHeld = owned.filter((o) => o.reach.standard !== null).reduce((s, o) => s + o.quantity, 0) + stdToBuy;
  const excess = entOwned - stdHeld;
  if (excess <= 0) return;
  notes.push(
    `${excess} owned Enterprise ${type} CALs cannot count: an Enterprise CAL is an add-on and needs a Standard ${type} CAL beside it (Standard owned or to buy: ${stdHeld}; Enterprise owned: ${entOwned}).`,
  );
}

/**
 * Per-server CALs (one family per server) and External Connectors (one family): newest need
 * first, each from the owned line with the least reach that covers it (R3, R7, E7).
 */
function allocateFamilies(requirements: Requirement[], owned: OwnedLicence[], ledger: Ledger, usedOf: Map<OwnedLicence, number>, notes: string[]): void {
  const family = (k: { type: string; server?: string }) => (k.type === "server" ? `server|${(k.server ?? "").toLowerCase()}` : k.type);
  const ids = new Set(requirements.filter((r) => r.type === "server" || r.type === "connector").map(family));
  for (const o of owned) if (o.type === "server" || o.type === "connector") ids.add(family(o));
  for (const id of ids) {
    const needs = requirements.filter((r) => family(r) === id).sort((a, b) => rankOf(b.version) - rankOf(a.version));
    const have = owned
      .filter((o) => family(o) === id && o.reach.standard)
      .sort((a, b) => rankOf(a.reach.standard!) - rankOf(b.reach.standard!) || a.row - b.row);
    const left = have.map((o) => o.quantity);
    for (const r of needs) {
      let n = r.quantity;
      have.forEach((o, j) => {
        if (n === 0 || rankOf(o.reach.standard!) < rankOf(r.version) || left[j] === 0) return;
        const take = Math.min(n, left[j]);
        left[j] -= take;
        n -= take;
        usedOf.set(o, (usedOf.get(o) ?? 0) + take);
        ledger.cover(r, o.productName, take);
        ledger.line({ ...r, version: o.version! }).used += take;
        if (o.version !== r.version)
          notes.push(`${take} ${label(r)} needed at version ${r.version} are covered by owned version ${o.version} CALs (down-version rights).`);
      });
      ledger.line(r).shortfall += n;
    }
  }
}

/** The position lines added up: the summary's Total row and the pane's result card. */
export function positionTotals(lines: readonly PositionLine[]): Position["totals"] {
  const totals = { required: 0, owned: 0, shortfall: 0, surplus: 0 };
  for (const l of lines) {
    totals.required += l.required;
    totals.owned += l.owned;
    totals.shortfall += l.shortfall;
    totals.surplus += l.surplus;
  }
  return totals;
}

/** Newest requirement first, each from the lowest owned version that covers it (R7): kept for callers that allocate plain counts. */
export function allocate(
  required: Map<VersionId, number>,
  owned: Map<VersionId, number>,
): { unmet: Map<VersionId, number>; used: Map<VersionId, number>; downVersion: [VersionId, VersionId, number][] } {
  const left = new Map(owned);
  const used = new Map<VersionId, number>();
  const unmet = new Map<VersionId, number>();
  const downVersion: [VersionId, VersionId, number][] = [];
  const ownedAsc = [...owned.keys()].sort((a, b) => rankOf(a) - rankOf(b));
  for (const need of [...required.keys()].sort((a, b) => rankOf(b) - rankOf(a))) {
    let n = required.get(need)!;
    for (const have of ownedAsc) {
      if (n === 0) break;
      if (rankOf(have) < rankOf(need)) continue;
      const take = Math.min(n, left.get(have)!);
      if (take === 0) continue;
      left.set(have, left.get(have)! - take);
      used.set(have, (used.get(have) ?? 0) + take);
      n -= take;
      if (have !== need) downVersion.push([need, have, take]);
    }
    if (n > 0) unmet.set(need, n);
  }
  return { unmet, used, downVersion };
}
