import type { BuyCost } from "./buyCost";
import { FAMILIES, V } from "./buyCost";
import type { Cover } from "../solver";
import type { Inventory, PlacementSummary } from "./types";

/**
 * Row placement: once a cover says who holds which CAL, which holder's CAL each row is
 * counted against, and so which version each holder needs (the newest of its rows, R7).
 *
 * Rows only one holder covers go to it. A row both its user and its device cover ("shared")
 * goes to a holder whose version it does not raise; if it raises a version either way
 * ("contested"), the placement is chosen to minimise, in this order:
 *   1. the cost to buy given what is owned (BuyCost: the position's shortfall, priced);
 *   2. the sum of the versions needed over every holder and edition (versions as low as they
 *      can be, so fewer and older CALs are needed when more are bought or counted later);
 * then the device (a kiosk's device CAL is the one most rows can share).
 * Both measures only grow as a holder's version rises, so a row that raises nothing where it
 * goes is never a worse choice (why free rows are placed first, and why a holder's rows of
 * one user/device pair and edition can move as one unit). Every CAL in the cover keeps at
 * least one row (per-device gives every device a CAL even when all its rows are also its
 * users'): an empty holder takes its oldest shared row (of its edition), which it needs at
 * least anyway.
 *
 * Contested units (a user/device pair and an edition) are searched exhaustively (branch and
 * bound, both measures being monotone) when there are at most EXACT_UNITS of them and the
 * search ends within NODE_BUDGET; otherwise greedily, newest first, each where it costs least.
 * `proven` says when the cost to buy is known to be the least any placement of this cover
 * reaches: after an exhaustive search; when nothing owned depends on versions; or when the
 * greedy result costs no more than the cover with every contested row placed for free.
 */
export const EXACT_UNITS = 20;
export const NODE_BUDGET = 200_000;

export interface Placement {
  holderOf: Int32Array; // per row: user id, or users + device id
  std: Int16Array; // per holder: version index of its Standard CAL, -1 when none
  ent: Int16Array; // per holder: version index of its Enterprise CAL, -1 when none
  stats: PlacementStats;
}

export type PlacementStats = PlacementSummary;

export function placeRows(inv: Inventory, cover: Cover, isOld: (i: number) => boolean, buy: BuyCost | undefined, uncovered: (i: number) => string): Placement {
  const U = inv.users.length;
  const H = U + inv.devices.length;
  const holderOf = new Int32Array(inv.count).fill(-1);
  const std = new Int16Array(H).fill(-1);
  const ent = new Int16Array(H).fill(-1);
  const has = (h: number, e: number) =>
    h < U ? (e ? cover.userEnterprise[h] : cover.userStandard[h]) === 1 : (e ? cover.deviceEnterprise[h - U] : cover.deviceStandard[h - U]) === 1;
  const shared: number[] = [];
  for (let i = 0; i < inv.count; i++) {
    const u = inv.user[i];
    const d = inv.device[i];
    const e = inv.enterprise[i];
    const byUser = u >= 0 && !isOld(i) && has(u, e);
    const byDevice = d >= 0 && has(U + d, e);
    if (byUser && byDevice) {
      shared.push(i);
      continue;
    }
    const h = byUser ? u : byDevice ? U + d : -1;
    if (h < 0) throw new Error(uncovered(i));
    holderOf[i] = h;
    const v = inv.version[i];
    if (v > std[h]) std[h] = v;
    if (e && v > ent[h]) ent[h] = v;
  }
  const stats: PlacementStats = { sharedRows: shared.length, contestedRows: 0, exhaustive: false, proven: true };
  if (shared.length === 0) {
    stats.exhaustive = true;
    return { holderOf, std, ent, stats };
  }
  const rowHolders = (i: number): [number, number] => [inv.user[i], U + inv.device[i]];
  fillEmptyHolders(inv, shared, rowHolders, has, holderOf, std, ent, H);

  // Shared rows in order of version, newest first (counting sort).
  const byVersion = sortByVersionDesc(inv, shared);
  const level = (h: number, e: number) => (e ? ent[h] : std[h]);
  const contested: number[] = [];
  for (const i of byVersion) {
    if (holderOf[i] >= 0) continue;
    const [u, d] = rowHolders(i);
    const e = inv.enterprise[i];
    const v = inv.version[i];
    if (level(u, e) >= v) holderOf[i] = u;
    else if (level(d, e) >= v) holderOf[i] = d;
    else {
      contested.push(i);
    }
  }
  stats.contestedRows = contested.length;
  if (contested.length === 0) {
    stats.exhaustive = true;
    return { holderOf, std, ent, stats };
  }

  const search = new LevelState(std, ent, U, buy);
  const floor = search.objective();
  const units = unitsOf(inv, contested, rowHolders);
  let side: Uint8Array | undefined; // per unit: 0 = user, 1 = device
  if (units.count <= EXACT_UNITS) {
    side = search.exhaustive(units);
    stats.exhaustive = side !== undefined;
  }
  if (side) {
    for (let k = 0; k < units.count; k++) search.raise(side[k] ? units.d[k] : units.u[k], units.v[k], units.e[k]);
    for (const i of contested) {
      const k = units.of.get(unitKey(inv, i))!;
      holderOf[i] = side[k] ? units.d[k] : units.u[k];
    }
  } else {
    // Greedy, newest first: a row may have become free since it was found contested.
    for (const i of contested) {
      const [u, d] = rowHolders(i);
      const e = inv.enterprise[i];
      const v = inv.version[i];
      let h: number;
      if (search.levelOf(u, e) >= v) h = u;
      else if (search.levelOf(d, e) >= v) h = d;
      else {
        h = search.cheaper(u, d, v, e);
        search.raise(h, v, e);
      }
      holderOf[i] = h;
    }
  }
  const reached = search.objective();
  stats.proven = stats.exhaustive || !buy || buy.versionBlind || reached.cost <= floor.cost;
  return { holderOf, std, ent, stats };
}

/** A holder the cover gives a CAL but no row of its own takes its oldest shared row (of that edition). */
function fillEmptyHolders(
  inv: Inventory,
  shared: number[],
  rowHolders: (i: number) => [number, number],
  has: (h: number, e: number) => boolean,
  holderOf: Int32Array,
  std: Int16Array,
  ent: Int16Array,
  H: number,
): void {
  let any = false;
  for (let h = 0; h < H && !any; h++) any = (std[h] < 0 && has(h, 0)) || (ent[h] < 0 && has(h, 1));
  if (!any) return;
  for (const e of [1, 0]) {
    const pick = new Int32Array(H).fill(-1);
    const empty = (h: number) => (e ? ent[h] < 0 && has(h, 1) : std[h] < 0 && has(h, 0));
    for (const i of shared) {
      if (holderOf[i] >= 0 || (e && !inv.enterprise[i])) continue;
      for (const h of rowHolders(i)) {
        if (empty(h) && (pick[h] < 0 || inv.version[i] < inv.version[pick[h]])) pick[h] = i;
      }
    }
    for (let h = 0; h < H; h++) {
      const i = pick[h];
      if (i < 0 || holderOf[i] >= 0) continue;
      holderOf[i] = h;
      const v = inv.version[i];
      if (v > std[h]) std[h] = v;
      if (inv.enterprise[i] && v > ent[h]) ent[h] = v;
    }
  }
}

function sortByVersionDesc(inv: Inventory, rows: number[]): number[] {
  const start = new Int32Array(V + 1);
  for (const i of rows) start[V - 1 - inv.version[i] + 1]++;
  for (let k = 0; k < V; k++) start[k + 1] += start[k];
  const out: number[] = new Array(rows.length);
  for (const i of rows) out[start[V - 1 - inv.version[i]]++] = i;
  return out;
}

/** Contested rows grouped by (user, device, edition), each group at its newest version. */
export interface Units {
  count: number;
  u: Int32Array;
  d: Int32Array;
  e: Uint8Array;
  v: Int16Array;
  of: Map<number, number>;
}

function unitKey(inv: Inventory, i: number): number {
  return (inv.user[i] * (inv.devices.length + 1) + inv.device[i]) * 2 + inv.enterprise[i];
}

function unitsOf(inv: Inventory, contested: number[], rowHolders: (i: number) => [number, number]): Units {
  const of = new Map<number, number>();
  const u: number[] = [];
  const d: number[] = [];
  const e: number[] = [];
  const v: number[] = [];
  for (const i of contested) {
    const key = unitKey(inv, i);
    if (of.has(key)) continue; // rows come newest first: the first of a unit is its newest
    of.set(key, u.length);
    const [hu, hd] = rowHolders(i);
    u.push(hu);
    d.push(hd);
    e.push(inv.enterprise[i]);
    v.push(inv.version[i]);
  }
  return { count: u.length, u: Int32Array.from(u), d: Int32Array.from(d), e: Uint8Array.from(e), v: Int16Array.from(v), of };
}

/** What the searches minimise, in this order: cost to buy, the plan's cost at list prices, the sum of versions (all in whole units). */
export interface Objective {
  cost: number;
  plan: number;
  sum: number;
}

const better = (a: Objective, b: Objective) => a.cost < b.cost || (a.cost === b.cost && (a.plan < b.plan || (a.plan === b.plan && a.sum < b.sum)));

/**
 * Holders' versions with undo, the plan's counts per (family, version), and the objective. A
 * holder at version -1 holds no CAL of that edition yet (auto's exact search starts there);
 * `prices` (cents per family) prices the CALs held, for the plan's cost.
 */
export class LevelState {
  private readonly tally = new Int32Array(FAMILIES * V);
  private sum = 0;
  private plan = 0;
  private readonly undo: number[] = []; // triples: holder, old std, old ent

  constructor(
    private readonly std: Int16Array,
    private readonly ent: Int16Array,
    private readonly users: number,
    private readonly buy: BuyCost | undefined,
    private readonly prices: readonly number[] = [0, 0, 0, 0],
  ) {
    for (let h = 0; h < std.length; h++) {
      const f = h < users ? 0 : 2;
      if (std[h] >= 0) {
        this.tally[f * V + std[h]]++;
        this.sum += std[h];
        this.plan += prices[f];
      }
      if (ent[h] >= 0) {
        this.tally[(f + 1) * V + ent[h]]++;
        this.sum += ent[h];
        this.plan += prices[f + 1];
      }
    }
  }

  levelOf(h: number, e: number): number {
    return e ? this.ent[h] : this.std[h];
  }

  objective(): Objective {
    return { cost: this.buy ? this.buy.cost(this.tally) : 0, plan: this.plan, sum: this.sum };
  }

  raise(h: number, v: number, e: number): void {
    this.undo.push(h, this.std[h], this.ent[h]);
    const f = h < this.users ? 0 : 2;
    this.move(f, h, this.std, v);
    if (e) this.move(f + 1, h, this.ent, v);
  }

  private move(f: number, h: number, levels: Int16Array, v: number): void {
    const old = levels[h];
    if (v <= old) return;
    if (old >= 0) this.tally[f * V + old]--;
    else this.plan += this.prices[f];
    this.tally[f * V + v]++;
    this.sum += v - Math.max(old, 0);
    levels[h] = v;
  }

  back(): void {
    const oldEnt = this.undo.pop()!;
    const oldStd = this.undo.pop()!;
    const h = this.undo.pop()!;
    const f = h < this.users ? 0 : 2;
    this.restore(f + 1, h, this.ent, oldEnt);
    this.restore(f, h, this.std, oldStd);
  }

  private restore(f: number, h: number, levels: Int16Array, old: number): void {
    const now = levels[h];
    if (now === old) return;
    this.tally[f * V + now]--;
    if (old >= 0) this.tally[f * V + old]++;
    else this.plan -= this.prices[f];
    this.sum -= now - Math.max(old, 0);
    levels[h] = old;
  }

  /** The holder (of u and d) whose raise to v costs less; ties go to the device. */
  cheaper(u: number, d: number, v: number, e: number): number {
    this.raise(u, v, e);
    const a = this.objective();
    this.back();
    this.raise(d, v, e);
    const b = this.objective();
    this.back();
    return better(a, b) ? u : d;
  }

  /** Branch and bound over the units' sides; undefined when the node budget runs out. */
  exhaustive(units: Units, budget = NODE_BUDGET): Uint8Array | undefined {
    const side = new Uint8Array(units.count);
    const bestSide = new Uint8Array(units.count);
    let best: Objective = { cost: Infinity, plan: Infinity, sum: Infinity };
    let nodes = 0;
    const visit = (k: number): boolean => {
      if (++nodes > budget) return false;
      const now = this.objective();
      if (!better(now, best)) return true; // both measures only grow deeper down
      if (k === units.count) {
        best = now;
        bestSide.set(side);
        return true;
      }
      const v = units.v[k];
      const e = units.e[k];
      const u = units.u[k];
      const d = units.d[k];
      if (this.levelOf(u, e) >= v || this.levelOf(d, e) >= v) {
        side[k] = this.levelOf(u, e) >= v ? 0 : 1;
        return visit(k + 1);
      }
      for (const s of [1, 0]) {
        side[k] = s;
        this.raise(s ? d : u, v, e);
        const ok = visit(k + 1);
        this.back();
        if (!ok) return false;
      }
      return true;
    };
    return visit(0) ? bestSide : undefined;
  }
}
