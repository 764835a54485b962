/**
 * Which owned entitlement covers which CAL requirement, for one CAL type (user or device).
 *
 * Holders are counted in classes: the Standard version a holder needs (the newest server it
 * reaches) and the Enterprise version, if it needs one (never newer than its Standard).
 * Entitlements are counted in lots (one owned line each): a lot gives Standard up to a
 * version, Enterprise up to a version, or both (a suite or an online plan: one licence per
 * holder, never split between two). Reaches are prefixes of the version list: what covers
 * 2019 covers 2016. Versions are indexes into VERSIONS.
 *
 * The rule (docs/licensing-rules.md, "Allocation"): Enterprise-only lots (boxed Enterprise
 * CALs) and Standard-only lots (boxed Standard CALs, Core CAL Suites, Standard-only plans)
 * are given out first, newest requirement first, each from the lot with the least reach
 * that covers it; then the both-giving lots fill what is left, the gaps that save most
 * first (a holder missing Standard and Enterprise, then one missing either); a both-giving
 * lot on a holder whose Standard it reaches covers both. Each pass is repeated once with
 * what the both-giving lots settled, so an Enterprise CAL a suite made unnecessary moves
 * to a holder that still needs one. allocation.test.ts compares the result with a brute
 * force over every assignment of licences to holders.
 */

export interface HolderClass {
  standard: number; // version index the holder's Standard CAL must reach
  enterprise: number; // version index for its Enterprise CAL, or -1 when it needs none
  count: number;
}

export interface Lot {
  standard: number; // newest version index its Standard right reaches, or -1 (gives none)
  enterprise: number; // same for Enterprise, or -1
  quantity: number;
}

/** Who covered what: per class, the lots that gave its holders Standard and Enterprise. */
export interface Allocation {
  /** [class][lot] -> holders of that class whose Standard came from that lot. */
  standardFrom: Map<number, number>[];
  enterpriseFrom: Map<number, number>[];
  standardUnmet: number[]; // per class
  enterpriseUnmet: number[];
  used: number[]; // per lot
  /** True when every split of the Enterprise holders between suites/plans and boxed CALs was tried. */
  exact?: boolean;
}

type Kind = "standard" | "enterprise" | "both";

function kindOf(lot: Lot): Kind | undefined {
  if (lot.quantity <= 0) return undefined;
  if (lot.standard >= 0 && lot.enterprise >= 0) return "both";
  if (lot.standard >= 0) return "standard";
  if (lot.enterprise >= 0) return "enterprise";
  return undefined;
}

/** A both-giving lot's reach: it gives the one holder both rights, so the lesser reach bounds what it covers in full. */
function bothReach(lot: Lot): number {
  return Math.min(lot.standard, lot.enterprise);
}

/** A pool of interchangeable units handed out from the least reach up (ties: lot order). */
class Pool {
  private readonly order: number[];
  readonly left: number[];
  constructor(
    private readonly reach: (lot: number) => number,
    lots: number[],
    quantities: number[],
  ) {
    this.order = [...lots].sort((a, b) => reach(a) - reach(b) || a - b);
    this.left = quantities.slice();
  }
  /** Takes up to n units reaching `level`; returns [lot, count] pairs. */
  take(level: number, n: number): [number, number][] {
    const out: [number, number][] = [];
    for (const lot of this.order) {
      if (n === 0) break;
      if (this.reach(lot) < level || this.left[lot] === 0) continue;
      const k = Math.min(n, this.left[lot]);
      this.left[lot] -= k;
      n -= k;
      out.push([lot, k]);
    }
    return out;
  }
  /** Takes n units of exactly this reach. */
  takeExact(reach: number, n: number): [number, number][] {
    const out: [number, number][] = [];
    for (const lot of this.order) {
      if (n === 0) break;
      if (this.reach(lot) !== reach || this.left[lot] === 0) continue;
      const k = Math.min(n, this.left[lot]);
      this.left[lot] -= k;
      n -= k;
      out.push([lot, k]);
    }
    if (n > 0) throw new Error("Internal error: fewer suite or plan licences left than counted.");
    return out;
  }
}

const add = (m: Map<number, number>, lot: number, n: number) => m.set(lot, (m.get(lot) ?? 0) + n);

/**
 * Holders of one class split by what they have so far, so each pass can treat them apart:
 * `std`/`ent` true when covered, `viaBoth` when one both-giving licence covers them.
 */
interface Group {
  cls: number;
  count: number;
  std: boolean;
  ent: boolean; // true also for holders that need no Enterprise
  viaBoth: boolean;
  stdFrom: [number, number][];
  entFrom: [number, number][];
}

/** Splits of the Enterprise holders searched one by one up to this many; beyond, coordinate descent. */
export const EXHAUSTIVE_SPLITS = 4096;

export function allocateHolders(classes: readonly HolderClass[], lots: readonly Lot[], prices: { standard: number; enterprise: number }): Allocation {
  const bothUnits = lots.map((l) => (kindOf(l) === "both" ? l : undefined));
  // How many holders of each Enterprise class may be set aside for a suite or plan in full.
  const limit = classes.map((c) => {
    if (c.enterprise < 0) return 0;
    let reach = 0;
    for (const l of bothUnits) if (l && bothReach(l) >= c.standard) reach += l.quantity;
    return Math.min(c.count, reach);
  });
  const cost = (a: Allocation | undefined) => (a ? allocationCost(a, prices) : Infinity);
  const combos = limit.reduce((p, n) => p * (n + 1), 1);
  let best: Allocation | undefined;
  let bestX = limit.map(() => 0);
  if (combos <= EXHAUSTIVE_SPLITS) {
    const x = limit.map(() => 0);
    for (let k = 0; k < combos; k++) {
      let r = k;
      for (let i = 0; i < x.length; i++) {
        x[i] = r % (limit[i] + 1);
        r = Math.floor(r / (limit[i] + 1));
      }
      const a = evaluate(classes, lots, prices, x);
      if (cost(a) < cost(best)) {
        best = a;
        bestX = x.slice();
      }
    }
    best!.exact = true;
    return best!;
  }
  // Coordinate descent: the cost is convex in each count, so a binary search on its slope finds each coordinate's best.
  best = evaluate(classes, lots, prices, bestX);
  for (let sweep = 0, changed = true; changed && sweep < 50; sweep++) {
    changed = false;
    for (let i = 0; i < limit.length; i++) {
      if (limit[i] === 0) continue;
      const at = (v: number) =>
        cost(
          evaluate(
            classes,
            lots,
            prices,
            bestX.map((y, j) => (j === i ? v : y)),
          ),
        );
      let lo = 0;
      let hi = limit[i];
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (at(mid + 1) < at(mid)) lo = mid + 1;
        else hi = mid;
      }
      if (at(lo) < cost(best)) {
        bestX[i] = lo;
        best = evaluate(classes, lots, prices, bestX);
        changed = true;
      }
    }
  }
  best!.exact = false;
  return best!;
}

/**
 * One allocation with x[i] holders of class i covered in full by suites or plans (reserved
 * first); the rest by the passes in the file comment. Undefined when the reserve cannot be met.
 */
function evaluate(
  classes: readonly HolderClass[],
  lots: readonly Lot[],
  prices: { standard: number; enterprise: number },
  x: readonly number[],
): Allocation | undefined {
  const kinds = lots.map(kindOf);
  const ids = (k: Kind) => lots.map((_, i) => i).filter((i) => kinds[i] === k);
  const quantities = lots.map((l) => Math.max(0, l.quantity));
  const stdPool = new Pool((l) => lots[l].standard, ids("standard"), quantities);
  const entPool = new Pool((l) => lots[l].enterprise, ids("enterprise"), quantities);
  const bothPool = new Pool((l) => bothReach(lots[l]), ids("both"), quantities);
  const groups: Group[] = [];
  const order = classes.map((_, i) => i).sort((a, b) => classes[b].standard - classes[a].standard);
  for (const i of order) {
    if (!x[i]) continue;
    const from = bothPool.take(classes[i].standard, x[i]);
    if (from.reduce((s, [, k]) => s + k, 0) < x[i]) return undefined;
    groups.push({ cls: i, count: x[i], std: true, ent: true, viaBoth: true, stdFrom: from, entFrom: from });
  }
  const rest = classes.map((c, i) => c.count - (x[i] ?? 0));
  // Enterprise-only lots: Enterprise needs, newest first.
  const byEnt = classes.map((_, i) => i).filter((i) => classes[i].enterprise >= 0 && rest[i] > 0);
  byEnt.sort((a, b) => classes[b].enterprise - classes[a].enterprise || classes[b].standard - classes[a].standard);
  const afterEnt: Group[] = [];
  for (const i of byEnt) {
    const from = entPool.take(classes[i].enterprise, rest[i]);
    const got = from.reduce((s, [, k]) => s + k, 0);
    if (got > 0) afterEnt.push({ cls: i, count: got, std: false, ent: true, viaBoth: false, stdFrom: [], entFrom: from });
    if (rest[i] - got > 0) afterEnt.push({ cls: i, count: rest[i] - got, std: false, ent: false, viaBoth: false, stdFrom: [], entFrom: [] });
  }
  for (let i = 0; i < classes.length; i++) {
    if (classes[i].enterprise < 0 && rest[i] > 0) afterEnt.push({ cls: i, count: rest[i], std: false, ent: true, viaBoth: false, stdFrom: [], entFrom: [] });
  }
  // Standard-only lots: newest Standard need first; at one version, holders whose Enterprise
  // is settled first (one still missing Enterprise is better served whole by a suite or plan).
  afterEnt.sort((a, b) => classes[b.cls].standard - classes[a.cls].standard || Number(b.ent) - Number(a.ent) || a.cls - b.cls);
  for (const g of afterEnt) {
    const from = stdPool.take(classes[g.cls].standard, g.count);
    const got = from.reduce((s, [, k]) => s + k, 0);
    const [entA, entB] = cut(g.entFrom, got);
    if (got > 0) groups.push({ ...g, count: got, std: true, stdFrom: from, entFrom: entA });
    if (g.count - got > 0) groups.push({ ...g, count: g.count - got, std: false, stdFrom: [], entFrom: entB });
  }
  // Both-giving lots fill the gaps, largest saving first, within what their reaches allow.
  fillWithBoth(groups, classes, lots, bothPool, prices);
  const used = quantities.map(
    (q, l) => q - (kinds[l] === "both" ? bothPool.left[l] : kinds[l] === "standard" ? stdPool.left[l] : kinds[l] === "enterprise" ? entPool.left[l] : q),
  );
  return summarise(groups, classes, used);
}

/**
 * The both-giving lots left over go to the holders still missing something, to save the most:
 * a lot reaching a holder's Standard version covers what it lacks (Standard and Enterprise),
 * one reaching only its Enterprise version covers Enterprise. A small transportation problem
 * (lot reaches x holder groups), solved exactly by successive shortest paths.
 */
function fillWithBoth(
  groups: Group[],
  classes: readonly HolderClass[],
  lots: readonly Lot[],
  pool: Pool,
  prices: { standard: number; enterprise: number },
): void {
  const open = groups.filter((g) => g.count > 0 && (!g.std || !g.ent));
  const reaches = [...new Set(pool.left.map((n, l) => (n > 0 ? bothReach(lots[l]) : -1)).filter((r) => r >= 0))].sort((a, b) => a - b);
  if (open.length === 0 || reaches.length === 0) return;
  const units = reaches.map((r) => pool.left.reduce((s, n, l) => s + (n > 0 && bothReach(lots[l]) === r ? n : 0), 0));
  const worth = (r: number, g: Group): { value: number; full: boolean } => {
    const c = classes[g.cls];
    if (!g.std && r >= c.standard) return { value: prices.standard + (g.ent ? 0 : prices.enterprise), full: true };
    if (!g.ent && r >= c.enterprise) return { value: prices.enterprise, full: false };
    return { value: 0, full: false };
  };
  // Nodes: 0 source, 1..R reaches, R+1..R+G groups, R+G+1 sink.
  const R = reaches.length;
  const G = open.length;
  const flow = new MinCostFlow(R + G + 2);
  const sink = R + G + 1;
  reaches.forEach((_, k) => flow.arc(0, 1 + k, units[k], 0));
  const pairArcs: { k: number; gi: number; arc: number; full: boolean }[] = [];
  open.forEach((g, gi) => {
    flow.arc(1 + R + gi, sink, g.count, 0);
    reaches.forEach((r, k) => {
      const w = worth(r, g);
      if (w.value > 0) pairArcs.push({ k, gi, arc: flow.arc(1 + k, 1 + R + gi, g.count, -w.value), full: w.full });
    });
  });
  flow.run(0, sink);
  for (const { k, gi, arc, full } of pairArcs) {
    const n = flow.flowOn(arc);
    if (n === 0) continue;
    const g = open[gi];
    const from = pool.takeExact(reaches[k], n);
    const covered: Group = { ...g, count: n };
    if (full) {
      covered.std = true;
      covered.viaBoth = true;
      covered.stdFrom = from;
      if (!g.ent) {
        covered.ent = true;
        covered.entFrom = from;
      }
    } else {
      covered.ent = true;
      covered.entFrom = from;
    }
    splitGroup(groups, g, covered);
  }
}

/** Min-cost flow by successive shortest paths (Bellman-Ford: arcs may cost less than 0); stops when no path saves anything. */
class MinCostFlow {
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly cost: number[] = [];
  private readonly out: number[][];
  private readonly initial: number[] = [];
  constructor(private readonly n: number) {
    this.out = Array.from({ length: n }, () => []);
  }
  arc(u: number, v: number, capacity: number, cost: number): number {
    const id = this.to.length;
    this.to.push(v, u);
    this.cap.push(capacity, 0);
    this.cost.push(cost, -cost);
    this.initial.push(capacity, 0);
    this.out[u].push(id);
    this.out[v].push(id + 1);
    return id;
  }
  flowOn(arc: number): number {
    return this.initial[arc] - this.cap[arc];
  }
  run(s: number, t: number): void {
    for (;;) {
      const dist = new Array<number>(this.n).fill(Infinity);
      const via = new Array<number>(this.n).fill(-1);
      dist[s] = 0;
      for (let round = 0, changed = true; changed && round < this.n; round++) {
        changed = false;
        for (let u = 0; u < this.n; u++) {
          if (dist[u] === Infinity) continue;
          for (const e of this.out[u]) {
            if (this.cap[e] > 0 && dist[u] + this.cost[e] < dist[this.to[e]]) {
              dist[this.to[e]] = dist[u] + this.cost[e];
              via[this.to[e]] = e;
              changed = true;
            }
          }
        }
      }
      if (dist[t] >= 0) return;
      let push = Infinity;
      for (let v = t; v !== s; v = this.to[via[v] ^ 1]) push = Math.min(push, this.cap[via[v]]);
      for (let v = t; v !== s; v = this.to[via[v] ^ 1]) {
        this.cap[via[v]] -= push;
        this.cap[via[v] ^ 1] += push;
      }
    }
  }
}

/** Splits a list of [lot, count] sources into the first k units and the rest. */
function cut(from: [number, number][], k: number): [[number, number][], [number, number][]] {
  const a: [number, number][] = [];
  const b: [number, number][] = [];
  let need = k;
  for (const [lot, q] of from) {
    const x = Math.min(need, q);
    if (x > 0) a.push([lot, x]);
    if (q - x > 0) b.push([lot, q - x]);
    need -= x;
  }
  return [a, b];
}

/** Replaces `n` holders of `g` (counts and sources scaled) with `covered`. */
function splitGroup(groups: Group[], g: Group, covered: Group): void {
  const n = covered.count;
  const keep = g.count - n;
  const i = groups.indexOf(g);
  const [stdA, stdB] = g.std && covered.stdFrom === g.stdFrom ? cut(g.stdFrom, n) : [covered.stdFrom, g.stdFrom];
  const [entA, entB] = g.ent && covered.entFrom === g.entFrom ? cut(g.entFrom, n) : [covered.entFrom, g.entFrom];
  covered.stdFrom = stdA;
  covered.entFrom = entA;
  g.count = keep;
  g.stdFrom = stdB;
  g.entFrom = entB;
  groups.splice(i + 1, 0, covered);
}

function summarise(groups: Group[], classes: readonly HolderClass[], used: number[]): Allocation {
  const standardFrom = classes.map(() => new Map<number, number>());
  const enterpriseFrom = classes.map(() => new Map<number, number>());
  const standardUnmet = classes.map(() => 0);
  const enterpriseUnmet = classes.map(() => 0);
  for (const g of groups) {
    if (g.count === 0) continue;
    const c = classes[g.cls];
    for (const [lot, n] of g.stdFrom) add(standardFrom[g.cls], lot, n);
    if (!g.std) standardUnmet[g.cls] += g.count;
    if (c.enterprise >= 0) {
      // A suite that gave this holder Standard also gave its Enterprise: the same licence.
      for (const [lot, n] of g.entFrom) add(enterpriseFrom[g.cls], lot, n);
      if (!g.ent) enterpriseUnmet[g.cls] += g.count;
    }
  }
  return { standardFrom, enterpriseFrom, standardUnmet, enterpriseUnmet, used };
}

/** The cost of what is left to buy: Standard and Enterprise CALs not covered, at their prices. */
export function allocationCost(a: Allocation, prices: { standard: number; enterprise: number }): number {
  const s = a.standardUnmet.reduce((x, y) => x + y, 0);
  const e = a.enterpriseUnmet.reduce((x, y) => x + y, 0);
  return s * prices.standard + e * prices.enterprise;
}
