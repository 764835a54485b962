import type { Cover, CoverPrices } from "../solver";
import { VERSIONS } from "../licensing";
import { BuyCost, familyOf, V } from "./buyCost";
import { LevelState, NODE_BUDGET, Units } from "./placement";
import { buildPlan, CoverSolver, isOldRow, mixedFromCover, PlanDraft } from "./plans";
import { coverPrices } from "./prices";
import type { Inventory, Prices } from "./types";

/**
 * Auto, given what is owned: which plan of user and device CALs costs least to BUY. Deciding
 * that exactly is NP-complete in general (constrained bipartite vertex cover), so:
 *
 * 1. Exact search when the choices are few: every plan is a placement of each row on its
 *    user or its device (old rows and one-sided rows have no choice); rows of one
 *    user/device pair and edition move as one ("unit"). With at most EXACT_UNITS units,
 *    branch and bound over the units (cost to buy, then list cost, then versions, all only
 *    growing as rows are placed) finds the optimum over EVERY plan of user and device CALs.
 * 2. Otherwise, parametric minimum cuts: the min cut at user:device price weights a:b is the
 *    plan minimising a x (user CAL cost) + b x (device CAL cost), a vertex of the convex
 *    trade-off between the two. Starting from both ends and the list-price cut, each edge of
 *    the trade-off is split by the cut at the weights that make its two ends equal (Eisner and
 *    Severance's method), edges around the owned counts first, until no new vertex appears or
 *    the cut budget is spent. Each cut's plan is costed against the owned table.
 *    Every cut also gives a lower bound (Lagrangian): for weights a, b <= W, any plan's cost to
 *    buy is at least (a*user cost + b*device cost - a*owned user value - b*owned device value) / W,
 *    and the cut minimises the first part.
 */
export const EXACT_UNITS = 24;
const EXACT_BUDGET = 4 * NODE_BUDGET;
/** Weights stay small integers, so weighted prices stay exact for the solver. */
const MAX_WEIGHT = 4096;

export interface SearchedPlan {
  label: string;
  draft: PlanDraft;
}

export interface MixSearch {
  plans: SearchedPlan[]; // distinct plans found, besides the list-price mixed plan
  cuts: number; // minimum cuts solved by the search (the list-price cut not counted)
  exact: "done" | "too many choices" | "over budget" | "not needed";
  /** Least cost to buy (cents) any plan of user and device CALs can reach, as far as known. */
  lowerBound: number | null;
}

/** How many cuts auto may solve, by inventory size (each costs about one mixed plan's solve; README). */
export function cutBudget(rows: number): number {
  return rows >= 400_000 ? 2 : rows >= 100_000 ? 6 : 16;
}

export function searchMixes(
  inv: Inventory,
  prices: Prices,
  solve: CoverSolver,
  buy: BuyCost | undefined,
  base: PlanDraft,
  maxCuts: number,
  exactUnits = EXACT_UNITS,
): MixSearch {
  const plans: SearchedPlan[] = [];
  const pr = coverPrices(prices);
  // Nothing owned that versions or counts could use: the list-price min cut is the cheapest to buy.
  if (!buy || buy.versionBlind) return { plans, cuts: 0, exact: "not needed", lowerBound: point(base, pr).cu + point(base, pr).cd };

  const exact = exactSearch(inv, prices, buy, exactUnits);
  if (exact.result) {
    plans.push({ label: "mixed, exact search", draft: exact.result.draft });
    return { plans, cuts: 0, exact: "done", lowerBound: exact.result.cost };
  }

  const ownedUser = buy.ownedTotal[0] * buy.priceCents[0] + buy.ownedTotal[1] * buy.priceCents[1];
  const ownedDevice = buy.ownedTotal[2] * buy.priceCents[2] + buy.ownedTotal[3] * buy.priceCents[3];
  let lowerBound = Math.max(0, point(base, pr).cu + point(base, pr).cd - ownedUser - ownedDevice);
  let cuts = 0;
  const cutAt = (a: number, b: number): PlanDraft | undefined => {
    if (cuts >= maxCuts) return undefined;
    cuts++;
    const weighted: CoverPrices = {
      userStandard: pr.userStandard * a,
      userEnterprise: pr.userEnterprise * a,
      deviceStandard: pr.deviceStandard * b,
      deviceEnterprise: pr.deviceEnterprise * b,
    };
    let result;
    try {
      result = buildPlan(inv, "mixed", prices, weighted, solve, buy);
    } catch {
      return undefined; // weights too large for exact arithmetic on this inventory: stop this edge
    }
    if (!result.ok) return undefined;
    const p = point(result.draft, pr);
    const W = Math.max(a, b);
    lowerBound = Math.max(lowerBound, Math.ceil((a * p.cu + b * p.cd - a * ownedUser - b * ownedDevice) / W));
    if (!plans.some((x) => samePlan(x.draft, result.draft)) && !samePlan(base, result.draft)) {
      plans.push({ label: `mixed, user:device price weights ${a}:${b}`, draft: result.draft });
    }
    return result.draft;
  };

  // The two ends of the trade-off (fewest user CALs, fewest device CALs), then split edges.
  const ends = [cutAt(MAX_WEIGHT, 1), base, cutAt(1, MAX_WEIGHT)].filter((d): d is PlanDraft => d !== undefined);
  const edges: [PlanDraft, PlanDraft][] = [];
  for (let k = 0; k + 1 < ends.length; k++) edges.push([ends[k], ends[k + 1]]);
  const ownedUsers = buy.ownedTotal[0];
  while (edges.length > 0 && cuts < maxCuts) {
    // Edges whose user CAL counts bracket the owned user CALs first: the cheapest to buy is near them.
    let pick = edges.findIndex(
      ([l, r]) => Math.min(l.plan.user.standard, r.plan.user.standard) <= ownedUsers && ownedUsers <= Math.max(l.plan.user.standard, r.plan.user.standard),
    );
    if (pick < 0) pick = 0;
    const [left, right] = edges.splice(pick, 1)[0];
    const l = point(left, pr);
    const r = point(right, pr);
    if (!(l.cu < r.cu && l.cd > r.cd)) continue; // the same vertex, or one dominates: nothing between
    const [a, b] = smallWeights(l.cd - r.cd, r.cu - l.cu);
    const mid = cutAt(a, b);
    if (!mid) break;
    const m = point(mid, pr);
    if (a * m.cu + b * m.cd < a * l.cu + b * l.cd) edges.push([left, mid], [mid, right]);
  }
  return { plans, cuts, exact: exact.why, lowerBound };
}

/** User and device CAL cost of a plan, in cents at list prices. */
function point(d: PlanDraft, pr: CoverPrices): { cu: number; cd: number } {
  const p = d.plan;
  return {
    cu: p.user.standard * pr.userStandard + p.user.enterprise * pr.userEnterprise,
    cd: p.device.standard * pr.deviceStandard + p.device.enterprise * pr.deviceEnterprise,
  };
}

function smallWeights(a: number, b: number): [number, number] {
  const g = gcd(a, b);
  a /= g;
  b /= g;
  const big = Math.max(a, b);
  if (big <= MAX_WEIGHT) return [a, b];
  return [Math.max(1, Math.round((a * MAX_WEIGHT) / big)), Math.max(1, Math.round((b * MAX_WEIGHT) / big))];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function samePlan(a: PlanDraft, b: PlanDraft): boolean {
  return JSON.stringify(a.plan.requirements) === JSON.stringify(b.plan.requirements);
}

/** A plan's user and device CALs to buy, in cents (its requirements against BuyCost). */
export function toBuy(d: PlanDraft, buy: BuyCost): number {
  const counts = new Int32Array(4 * V);
  for (const r of d.plan.requirements) {
    if (r.type !== "user" && r.type !== "device") continue;
    counts[familyOf(r.type, r.edition) * V + VERSIONS.findIndex((v) => v.id === r.version)] += r.quantity;
  }
  return buy.cost(counts);
}

/** Branch and bound over every placement of rows on users or devices (see the module comment). */
function exactSearch(
  inv: Inventory,
  prices: Prices,
  buy: BuyCost,
  limit: number,
): { result?: { draft: PlanDraft; cost: number }; why: "done" | "too many choices" | "over budget" } {
  const U = inv.users.length;
  const H = U + inv.devices.length;
  const std = new Int16Array(H).fill(-1);
  const ent = new Int16Array(H).fill(-1);
  const isOld = isOldRow(inv);
  const units = new Map<number, number>(); // unit key -> index
  const uu: number[] = [];
  const ud: number[] = [];
  const ue: number[] = [];
  const uv: number[] = [];
  for (let i = 0; i < inv.count; i++) {
    const u = inv.user[i];
    const d = inv.device[i];
    const e = inv.enterprise[i];
    const v = inv.version[i];
    let h = -1;
    if (u < 0 || isOld(i)) h = d >= 0 ? U + d : -1;
    else if (d < 0) h = u;
    else {
      const key = (u * (inv.devices.length + 1) + d) * 2 + e;
      const k = units.get(key);
      if (k === undefined) {
        if (units.size >= limit) return { why: "too many choices" };
        units.set(key, uu.length);
        uu.push(u);
        ud.push(U + d);
        ue.push(e);
        uv.push(v);
      } else if (v > uv[k]) uv[k] = v;
      continue;
    }
    if (h < 0) return { why: "too many choices" }; // no holder can take the row: the mixed plan says why
    if (v > std[h]) std[h] = v;
    if (e && v > ent[h]) ent[h] = v;
  }
  // Newest first: the decisions that matter most are taken at the top of the tree.
  const order = uu.map((_, k) => k).sort((x, y) => uv[y] - uv[x]);
  const list: Units = {
    count: order.length,
    u: Int32Array.from(order, (k) => uu[k]),
    d: Int32Array.from(order, (k) => ud[k]),
    e: Uint8Array.from(order, (k) => ue[k]),
    v: Int16Array.from(order, (k) => uv[k]),
    of: new Map(),
  };
  const state = new LevelState(std, ent, U, buy, buy.priceCents);
  const side = state.exhaustive(list, EXACT_BUDGET);
  if (!side) return { why: "over budget" };
  for (let k = 0; k < list.count; k++) state.raise(side[k] ? list.d[k] : list.u[k], list.v[k], list.e[k]);
  const best = state.objective();
  const cover: Cover = {
    userStandard: new Uint8Array(U),
    userEnterprise: new Uint8Array(U),
    deviceStandard: new Uint8Array(inv.devices.length),
    deviceEnterprise: new Uint8Array(inv.devices.length),
    cost: 0,
  };
  for (let h = 0; h < H; h++) {
    if (h < U) {
      cover.userStandard[h] = std[h] >= 0 ? 1 : 0;
      cover.userEnterprise[h] = ent[h] >= 0 ? 1 : 0;
    } else {
      cover.deviceStandard[h - U] = std[h] >= 0 ? 1 : 0;
      cover.deviceEnterprise[h - U] = ent[h] >= 0 ? 1 : 0;
    }
  }
  const draft = mixedFromCover(inv, cover, prices, buy);
  // The plan's own placement reaches the optimum unless it had too many contested rows to search.
  if (toBuy(draft, buy) > best.cost) return { why: "over budget" };
  return { result: { draft, cost: best.cost }, why: "done" };
}
