import { VERSIONS, VersionId, versionRule } from "../licensing";
import { costOf } from "./prices";
import { sortRequirements } from "./plans";
import type { CalKey, LineStatus, OwnedLicence, Position, PositionLine, Prices, Requirement, ToBuy } from "./types";

/**
 * Plan requirements against owned licences: the licence position per (type, edition,
 * version), what to buy and what is spare. A family is one kind of CAL that can stand in
 * for itself across versions: (user|device, edition), or per-server CALs of ONE server.
 */

const rankOf = (v: VersionId) => versionRule(v).rank;

interface Family {
  key: Omit<CalKey, "version">;
  required: Map<VersionId, number>;
  owned: Map<VersionId, number>;
  ownedValue: Map<VersionId, { quantity: number; value: number }>; // for surplus value
}

function familyKey(k: { type: string; edition: string; server?: string }): string {
  return k.type === "server" ? `server|${(k.server ?? "").toLowerCase()}` : `${k.type}|${k.edition}`;
}

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

export function computePosition(requirements: Requirement[], owned: OwnedLicence[], prices: Prices): Position {
  const families = new Map<string, Family>();
  const family = (k: Omit<CalKey, "version">): Family => {
    const id = familyKey(k);
    let f = families.get(id);
    if (!f) {
      f = { key: { type: k.type, edition: k.edition, server: k.server }, required: new Map(), owned: new Map(), ownedValue: new Map() };
      families.set(id, f);
    }
    return f;
  };
  for (const r of requirements) {
    const f = family(r);
    f.required.set(r.version, (f.required.get(r.version) ?? 0) + r.quantity);
  }
  for (const o of owned) {
    const f = family(o);
    f.owned.set(o.version, (f.owned.get(o.version) ?? 0) + o.quantity);
    const v = f.ownedValue.get(o.version) ?? { quantity: 0, value: 0 };
    v.quantity += o.quantity;
    v.value += o.quantity * (o.unitPrice ?? unitPrice(prices, o));
    f.ownedValue.set(o.version, v);
  }

  const notes: string[] = [];
  const countable = enterpriseCap(families, notes);

  const lines: PositionLine[] = [];
  const toBuy: ToBuy[] = [];
  let surplusCents = 0;
  for (const f of families.values()) {
    const usable = countable.get(f) ?? f.owned;
    const { unmet, used, downVersion } = allocate(f.required, usable);
    for (const [from, to, n] of downVersion) {
      notes.push(`${n} ${label(f.key)} needed at version ${from} are covered by owned version ${to} CALs (down-version rights).`);
    }
    const versions = new Set<VersionId>([...f.required.keys(), ...f.owned.keys()]);
    for (const version of versions) {
      const required = f.required.get(version) ?? 0;
      const ownedQty = f.owned.get(version) ?? 0;
      const shortfall = unmet.get(version) ?? 0;
      const surplus = ownedQty - (used.get(version) ?? 0);
      const status: LineStatus = shortfall > 0 ? "shortfall" : surplus > 0 ? "surplus" : "compliant";
      lines.push({ ...f.key, server: f.key.server, version, required, owned: ownedQty, shortfall, surplus, status });
      if (shortfall > 0) {
        const price = unitPrice(prices, f.key);
        toBuy.push({ ...f.key, version, quantity: shortfall, unitPrice: price, cost: costOf([[shortfall, price]]) });
      }
      if (surplus > 0) {
        const v = f.ownedValue.get(version)!;
        surplusCents += Math.round((surplus * v.value * 100) / v.quantity);
      }
    }
  }
  for (const l of lines) if (l.type !== "server") delete l.server;
  for (const t of toBuy) if (t.type !== "server") delete t.server;
  const toBuyCost = costOf(toBuy.map((t) => [t.quantity, t.unitPrice]));
  if (toBuy.length > 0) {
    notes.push(
      `New CALs are sold at the current version (${versionRule(VERSIONS[VERSIONS.length - 1].id).name}); a newer CAL covers the older servers listed.`,
    );
  }
  return {
    lines: sortRequirements(lines),
    totals: positionTotals(lines),
    status: lines.some((l) => l.shortfall > 0) ? "non-compliant" : "compliant",
    toBuy: sortRequirements(toBuy),
    toBuyCost,
    surplusValue: surplusCents / 100,
    notes,
  };
}

/**
 * R4: an Enterprise CAL is an add-on and counts only beside a Standard CAL of the same type.
 * The Standard CALs held after the purchase are those owned plus those the to-buy list adds,
 * so owned Enterprise CALs beyond that cannot count; the excess is dropped from the oldest
 * versions first.
 */
function enterpriseCap(families: Map<string, Family>, notes: string[]): Map<Family, Map<VersionId, number>> {
  const out = new Map<Family, Map<VersionId, number>>();
  for (const type of ["user", "device"] as const) {
    const ent = families.get(`${type}|enterprise`);
    if (!ent) continue;
    const std = families.get(`${type}|standard`);
    const stdOwned = std ? sum(std.owned) : 0;
    const stdToBuy = std ? sum(allocate(std.required, std.owned).unmet) : 0;
    let excess = sum(ent.owned) - (stdOwned + stdToBuy);
    if (excess <= 0) continue;
    notes.push(
      `${excess} owned Enterprise ${type} CALs cannot count: an Enterprise CAL is an add-on and needs a Standard ${type} CAL beside it (Standard owned or to buy: ${stdOwned + stdToBuy}; Enterprise owned: ${sum(ent.owned)}).`,
    );
    const capped = new Map(ent.owned);
    for (const v of [...capped.keys()].sort((a, b) => rankOf(a) - rankOf(b))) {
      const drop = Math.min(excess, capped.get(v)!);
      capped.set(v, capped.get(v)! - drop);
      excess -= drop;
    }
    out.set(ent, capped);
  }
  return out;
}

/**
 * Newest requirement first, each from the lowest owned version that covers it (R7): the
 * newest needs have the fewest candidates, and the lowest adequate CAL keeps newer ones free.
 */
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

function sum(m: Map<unknown, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
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
