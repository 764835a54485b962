/**
 * Exact minimum-cost CAL cover, solved as a minimum s-t cut (minimum-cost closure).
 *
 * Network (nodes only where used):
 *   user u:    uS, uE      s->uS cap priceUserStandard, s->uE cap priceUserEnterprise, uS->uE INF
 *   device d:  dS, dE      dS->t cap priceDeviceStandard, dE->t cap priceDeviceEnterprise, dE->dS INF
 *   Standard access (u,d):   uS->dS INF        Enterprise access (u,d):   uE->dE INF
 *   user-only access:  uS->t INF (uE->t)       device-only access:  s->dS INF (s->dE)
 * Reading a cut (S = source side, T = sink side): u holds Standard iff uS in T, Enterprise iff
 * uE in T; d holds Standard iff dS in S, Enterprise iff dE in S.
 *
 * Proof sketch. An INF edge x->y is never cut, i.e. never x in S and y in T:
 *   uS->uE : uE in T => uS in T        user Enterprise implies user Standard
 *   dE->dS : dE in S => dS in S        device Enterprise implies device Standard
 *   uS->dS : uS in T or dS in S        the Standard access is covered by u or by d
 *   uE->dE : uE in T or dE in S        the Enterprise access is covered by u's or d's S+E
 *   uS->t, s->dS : the holder of a one-sided access holds.
 * So the cuts that avoid INF edges are exactly the valid assignments, and the finite edges they
 * cut are s->x with x in T (the users' CALs) and x->t with x in S (the devices' CALs): capacity =
 * cost. INF = 1 + the sum of finite capacities exceeds any such cut and one always exists (every
 * access covered by its user, or by its device when it has no user), so a minimum cut (= maximum
 * flow) is a minimum-cost cover.
 *
 * Exact simplifications used by the implementation:
 * - a holder forced by a one-sided access is contracted into s or t (its INF force edge means it
 *   always holds); its price becomes a constant and the accesses it already covers are dropped;
 * - parallel accesses are merged; a Standard access on a pair that also needs Enterprise is
 *   dropped (covering the Enterprise one covers it);
 * - each connected component is solved on its own (cuts of disjoint parts add up). Nodes are laid
 *   out component by component in BFS order so the flow's memory accesses stay local.
 * Max flow: a greedy pass along the two-arc paths s->user->device->t, then Dinic with levels =
 * residual distance to t, from a reverse BFS that stops once s is labelled (late phases then touch
 * only the small region near t, not the large source side). All typed arrays, no recursion.
 * The cut taken is the set of nodes that still reach t (the smallest sink side): the same for
 * every maximum flow, so the cover is deterministic; among equally cheap covers it leans to
 * device CALs.
 */

export interface CoverPrices {
  userStandard: number;
  userEnterprise: number;
  deviceStandard: number;
  deviceEnterprise: number;
}

export interface CoverProblem {
  users: number;
  devices: number;
  edgeUser: Int32Array;
  edgeDevice: Int32Array;
  edgeEnterprise: Uint8Array;
  prices: CoverPrices;
}

export interface Cover {
  userStandard: Uint8Array;
  userEnterprise: Uint8Array;
  deviceStandard: Uint8Array;
  deviceEnterprise: Uint8Array;
  cost: number;
}

/** Size and effort of one solve (for benchmarks and diagnostics). */
export interface CoverStats {
  pairs: number; // distinct two-sided accesses left after reduction
  nodes: number;
  arcs: number;
  components: number;
  largestComponent: number; // nodes
  phases: number; // Dinic phases summed over components
  maxPhases: number;
  ms: {
    validate: number;
    reduce: number;
    layout: number;
    build: number;
    flow: number;
    read: number;
  };
}

/**
 * The solver, in a function that uses nothing from outside it: coverThread.ts sends this
 * function's source text to a worker, so a big mixed plan can be solved there with the very
 * same code (and its memory kept out of the main thread's heap).
 */
export function minCutKit() {
  /** Level a holder or an access needs: nothing, Standard, Standard + Enterprise. */
  const NONE = 0;
  const STD = 1;
  const ENT = 2;

  const SOURCE = 0;
  const SINK = 1;

  function minCostCover(p: CoverProblem): Cover {
    return minCostCoverWithStats(p).cover;
  }

  function minCostCoverWithStats(p: CoverProblem): { cover: Cover; stats: CoverStats } {
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const d = now - t;
      t = now;
      return d;
    };
    validateProblem(p);
    const validate = lap();
    const reduced = reduceAccesses(p);
    const reduce = lap();
    const degrees = holderDegrees(p, reduced);
    const byDevice = usersByDevice(p, reduced);
    const layoutMs = lap();
    const layout = buildLayout(p, reduced, degrees, byDevice);
    const net = layout.net;
    const build = lap();
    const effort = solveComponents(net, layout.componentStart);
    const flowMs = lap();
    const cover = readCover(p, reduced, layout, effort.sinkSide);
    const read = lap();
    // Max-flow/min-cut duality with exact integers: a mismatch means a construction bug.
    const expected = forcedCost(reduced, p.prices) + effort.flow;
    if (cover.cost !== expected) throw new Error(`minCostCover: internal error, cover cost ${cover.cost} != ${expected}`);
    const stats: CoverStats = {
      pairs: reduced.pairs,
      nodes: net.n,
      arcs: net.head.length,
      components: layout.componentStart.length - 1,
      largestComponent: effort.largest,
      phases: effort.phases,
      maxPhases: effort.maxPhases,
      ms: { validate, reduce, layout: layoutMs, build, flow: flowMs, read },
    };
    return { cover, stats };
  }

  function coverCost(c: Cover, prices: CoverPrices): number {
    validatePrices(prices);
    return (
      countOnes(c.userStandard) * prices.userStandard +
      countOnes(c.userEnterprise) * prices.userEnterprise +
      countOnes(c.deviceStandard) * prices.deviceStandard +
      countOnes(c.deviceEnterprise) * prices.deviceEnterprise
    );
  }

  /** Indexes of accesses the cover misses. Enterprise counts only on top of Standard (it is additive). */
  function uncoveredAccesses(p: CoverProblem, c: Cover): number[] {
    validateProblem(p);
    checkLength("cover.userStandard", c.userStandard, p.users);
    checkLength("cover.userEnterprise", c.userEnterprise, p.users);
    checkLength("cover.deviceStandard", c.deviceStandard, p.devices);
    checkLength("cover.deviceEnterprise", c.deviceEnterprise, p.devices);
    const missed: number[] = [];
    for (let i = 0; i < p.edgeUser.length; i++) {
      const u = p.edgeUser[i];
      const d = p.edgeDevice[i];
      const need = p.edgeEnterprise[i] ? ENT : STD;
      const byUser = u >= 0 && heldLevel(c.userStandard[u], c.userEnterprise[u]) >= need;
      const byDevice = d >= 0 && heldLevel(c.deviceStandard[d], c.deviceEnterprise[d]) >= need;
      if (!byUser && !byDevice) missed.push(i);
    }
    return missed;
  }

  function heldLevel(standard: number, enterprise: number): number {
    if (!standard) return NONE;
    return enterprise ? ENT : STD;
  }

  function countOnes(a: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < a.length; i++) if (a[i]) n++;
    return n;
  }

  // ---------------------------------------------------------------- validation

  function validateProblem(p: CoverProblem): void {
    if (!p) throw new Error("CoverProblem: problem is missing");
    checkCount("users", p.users);
    checkCount("devices", p.devices);
    const { edgeUser, edgeDevice, edgeEnterprise, users, devices } = p;
    if (!edgeUser || !edgeDevice || !edgeEnterprise) throw new Error("CoverProblem: edgeUser, edgeDevice and edgeEnterprise are required");
    const m = edgeUser.length;
    if (edgeDevice.length !== m || edgeEnterprise.length !== m) {
      throw new Error(
        `CoverProblem: edgeUser, edgeDevice and edgeEnterprise must have equal lengths ` + `(got ${m}, ${edgeDevice.length}, ${edgeEnterprise.length})`,
      );
    }
    validatePrices(p.prices);
    for (let i = 0; i < m; i++) {
      const u = edgeUser[i];
      const d = edgeDevice[i];
      if (u < -1 || u >= users) throw new Error(`CoverProblem: access ${i} has user ${u}, outside -1..${users - 1}`);
      if (d < -1 || d >= devices) throw new Error(`CoverProblem: access ${i} has device ${d}, outside -1..${devices - 1}`);
      if (u < 0 && d < 0) throw new Error(`CoverProblem: access ${i} has neither a user nor a device`);
      if (edgeEnterprise[i] > 1) throw new Error(`CoverProblem: access ${i} has edgeEnterprise ${edgeEnterprise[i]}, expected 0 or 1`);
    }
  }

  function validatePrices(prices: CoverPrices): void {
    if (!prices) throw new Error("CoverPrices: prices are missing");
    for (const key of ["userStandard", "userEnterprise", "deviceStandard", "deviceEnterprise"] as const) {
      const v = prices[key];
      if (!Number.isSafeInteger(v) || v <= 0) {
        throw new Error(`CoverPrices: ${key} must be a positive safe integer (cents), got ${String(v)}`);
      }
    }
  }

  function checkCount(name: string, v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new Error(`CoverProblem: ${name} must be an integer in 0..2^31-1, got ${v}`);
  }

  function checkLength(name: string, a: Uint8Array, n: number): void {
    if (!a || a.length !== n) throw new Error(`Cover: ${name} must have length ${n}, got ${a ? a.length : "nothing"}`);
  }

  // ---------------------------------------------------------------- reduction

  /** Distinct two-sided accesses still to decide, grouped by user, plus forced holder levels. */
  interface Reduced {
    userForce: Uint8Array;
    deviceForce: Uint8Array;
    pairs: number;
    userPairStart: Int32Array; // pairs of user u: userPairStart[u]..userPairStart[u+1]-1
    pairDevice: Int32Array;
    pairLevel: Uint8Array;
  }

  function reduceAccesses(p: CoverProblem): Reduced {
    const { users, devices, edgeUser, edgeDevice, edgeEnterprise } = p;
    const m = edgeUser.length;
    const userForce = new Uint8Array(users);
    const deviceForce = new Uint8Array(devices);
    // Counting sort of two-sided accesses by user, copying (device, level) so the merge reads sequentially.
    const start = new Int32Array(users + 1);
    for (let i = 0; i < m; i++) {
      const u = edgeUser[i];
      const d = edgeDevice[i];
      const need = edgeEnterprise[i] ? ENT : STD;
      if (d < 0) {
        if (need > userForce[u]) userForce[u] = need;
      } else if (u < 0) {
        if (need > deviceForce[d]) deviceForce[d] = need;
      } else start[u + 1]++;
    }
    for (let u = 0; u < users; u++) start[u + 1] += start[u];
    const fill = start.slice(0, users);
    const bucketDevice = new Int32Array(start[users]);
    const bucketLevel = new Uint8Array(start[users]);
    for (let i = 0; i < m; i++) {
      const u = edgeUser[i];
      const d = edgeDevice[i];
      if (u < 0 || d < 0) continue;
      const k = fill[u]++;
      bucketDevice[k] = d;
      bucketLevel[k] = edgeEnterprise[i] ? ENT : STD;
    }
    return mergePairs(start, bucketDevice, bucketLevel, userForce, deviceForce);
  }

  /** Per user: merge duplicate devices (keeping the higher level) and drop pairs a forced holder covers. */
  function mergePairs(start: Int32Array, bucketDevice: Int32Array, bucketLevel: Uint8Array, userForce: Uint8Array, deviceForce: Uint8Array): Reduced {
    const users = userForce.length;
    const pairDevice = bucketDevice; // compacted in place: the write index never passes the read index
    const pairLevel = bucketLevel;
    const userPairStart = new Int32Array(users + 1);
    const slotOf = new Int32Array(deviceForce.length); // device -> its slot, valid while slotUser says so
    const slotUser = new Int32Array(deviceForce.length).fill(-1);
    let pairs = 0;
    for (let u = 0; u < users; u++) {
      const first = pairs;
      const uf = userForce[u];
      for (let k = start[u], end = start[u + 1]; k < end; k++) {
        const d = bucketDevice[k];
        const need = bucketLevel[k];
        if (uf >= need || deviceForce[d] >= need) continue; // already covered by a forced holder
        if (slotUser[d] === u) {
          const slot = slotOf[d];
          if (need > pairLevel[slot]) pairLevel[slot] = need;
        } else {
          slotUser[d] = u;
          slotOf[d] = pairs;
          pairDevice[pairs] = d;
          pairLevel[pairs++] = need;
        }
      }
      userPairStart[u] = first;
    }
    userPairStart[users] = pairs;
    return { userForce, deviceForce, pairs, userPairStart, pairDevice, pairLevel };
  }

  function forcedCost(r: Reduced, pr: CoverPrices): number {
    let cost = 0;
    for (let u = 0; u < r.userForce.length; u++) {
      if (r.userForce[u] >= STD) cost += pr.userStandard;
      if (r.userForce[u] === ENT) cost += pr.userEnterprise;
    }
    for (let d = 0; d < r.deviceForce.length; d++) {
      if (r.deviceForce[d] >= STD) cost += pr.deviceStandard;
      if (r.deviceForce[d] === ENT) cost += pr.deviceEnterprise;
    }
    return cost;
  }

  // ---------------------------------------------------------------- layout and network

  /** Residual network in CSR form: arcs of node v are start[v]..start[v+1]-1, rev pairs an arc with its reverse. */
  interface Network {
    n: number;
    inf: number; // capacity of every edge not incident to s or t
    start: Int32Array;
    head: Int32Array;
    rev: Int32Array;
    cap: Float64Array;
  }

  /** The network, and where each holder's nodes are in it. */
  interface Layout {
    net: Network;
    userS: Int32Array; // node id per holder layer, -1 = no node
    userE: Int32Array;
    deviceS: Int32Array;
    deviceE: Int32Array;
    componentStart: Int32Array; // nodes of component c: componentStart[c]..componentStart[c+1]-1
  }

  /** Per holder: its pairs at each level, and which nodes it needs (bit 1 = S node, bit 2 = E node). */
  interface Degrees {
    userStd: Int32Array;
    userEnt: Int32Array;
    deviceStd: Int32Array;
    deviceEnt: Int32Array;
    userNeed: Uint8Array;
    deviceNeed: Uint8Array;
  }

  function holderDegrees(p: CoverProblem, r: Reduced): Degrees {
    const userStd = new Int32Array(p.users);
    const userEnt = new Int32Array(p.users);
    const deviceStd = new Int32Array(p.devices);
    const deviceEnt = new Int32Array(p.devices);
    for (let u = 0; u < p.users; u++) {
      for (let k = r.userPairStart[u]; k < r.userPairStart[u + 1]; k++) {
        if (r.pairLevel[k] === ENT) {
          userEnt[u]++;
          deviceEnt[r.pairDevice[k]]++;
        } else {
          userStd[u]++;
          deviceStd[r.pairDevice[k]]++;
        }
      }
    }
    // An Enterprise pair needs the S node too (Enterprise is on top of Standard), unless the
    // holder is already forced to Standard: then only its E node is open.
    const need = (std: number, ent: number, force: number) => (std > 0 || (ent > 0 && force === NONE) ? 1 : 0) | (ent > 0 ? 2 : 0);
    const userNeed = new Uint8Array(p.users);
    const deviceNeed = new Uint8Array(p.devices);
    for (let u = 0; u < p.users; u++) userNeed[u] = need(userStd[u], userEnt[u], r.userForce[u]);
    for (let d = 0; d < p.devices; d++) deviceNeed[d] = need(deviceStd[d], deviceEnt[d], r.deviceForce[d]);
    return { userStd, userEnt, deviceStd, deviceEnt, userNeed, deviceNeed };
  }

  /** The users of each device (CSR), for the BFS. */
  function usersByDevice(p: CoverProblem, r: Reduced) {
    const deviceUserStart = new Int32Array(p.devices + 1);
    for (let k = 0; k < r.pairs; k++) deviceUserStart[r.pairDevice[k] + 1]++;
    for (let d = 0; d < p.devices; d++) deviceUserStart[d + 1] += deviceUserStart[d];
    const deviceUsers = new Int32Array(r.pairs);
    const fill = deviceUserStart.slice(0, p.devices);
    for (let u = 0; u < p.users; u++) {
      for (let k = r.userPairStart[u]; k < r.userPairStart[u + 1]; k++) deviceUsers[fill[r.pairDevice[k]]++] = u;
    }
    return { deviceUserStart, deviceUsers };
  }

  /**
   * Node ids are given component by component in BFS order (neighbours get nearby ids, so the
   * flow's memory accesses stay local), and each node's arcs are written as it is numbered and
   * as the BFS meets its pairs: its degree is known beforehand, so its range of arcs is fixed
   * the moment it gets its id, and the network needs no list of edges and no second pass.
   * Every node's first arc is its arc to s or t (greedyFlow relies on it), then its uS->uE or
   * dE->dS arc, then its pairs; s's and t's arcs come in node order (one range per component).
   */
  function buildLayout(p: CoverProblem, r: Reduced, deg: Degrees, byDevice: ReturnType<typeof usersByDevice>): Layout {
    const { users, devices } = p;
    const { userPairStart, pairDevice, pairLevel } = r;
    const { deviceUserStart, deviceUsers } = byDevice;
    const { userStd, userEnt, deviceStd, deviceEnt, userNeed, deviceNeed } = deg;
    const pr = p.prices;

    // Sizes and INF before any node is numbered.
    let userNodes = 0;
    let deviceNodes = 0;
    let intra = 0;
    let finite = 0;
    for (let u = 0; u < users; u++) {
      const need = userNeed[u];
      if (need & 1) finite += pr.userStandard;
      if (need & 2) finite += pr.userEnterprise;
      userNodes += (need & 1) + (need >> 1);
      if (need === 3) intra++;
    }
    for (let d = 0; d < devices; d++) {
      const need = deviceNeed[d];
      if (need & 1) finite += pr.deviceStandard;
      if (need & 2) finite += pr.deviceEnterprise;
      deviceNodes += (need & 1) + (need >> 1);
      if (need === 3) intra++;
    }
    const inf = finite + 1;
    // Residuals stay below inf + finite; keep that an exact integer.
    if (!Number.isSafeInteger(2 * inf)) throw new Error("minCostCover: total price too large to solve exactly");
    const n = 2 + userNodes + deviceNodes;
    const arcs = 2 * (userNodes + deviceNodes + intra + r.pairs);
    const start = new Int32Array(n + 1);
    const head = new Int32Array(arcs);
    const rev = new Int32Array(arcs);
    const cap = new Float64Array(arcs);
    const fill = new Int32Array(n);
    start[SINK] = fill[SINK] = userNodes;
    start[2] = fill[2] = userNodes + deviceNodes;
    let next = 2; // the next node id; start[next] is where its arcs begin

    const edge = (from: number, to: number, capacity: number) => {
      const fa = fill[from]++;
      const rb = fill[to]++;
      head[fa] = to;
      cap[fa] = capacity;
      rev[fa] = rb;
      head[rb] = from;
      rev[rb] = fa;
    };
    /** Numbers a node with `arcs` arcs. */
    const node = (arcCount: number) => {
      const x = next++;
      fill[x] = start[x];
      start[x + 1] = start[x] + arcCount;
      return x;
    };
    const userS = new Int32Array(users).fill(-1);
    const userE = new Int32Array(users).fill(-1);
    const deviceS = new Int32Array(devices).fill(-1);
    const deviceE = new Int32Array(devices).fill(-1);
    const addUser = (u: number) => {
      const need = userNeed[u];
      const both = need === 3 ? 1 : 0;
      if (need & 1) edge(SOURCE, (userS[u] = node(1 + userStd[u] + both)), pr.userStandard);
      if (need & 2) edge(SOURCE, (userE[u] = node(1 + userEnt[u] + both)), pr.userEnterprise);
      if (both) edge(userS[u], userE[u], inf); // uS -> uE
    };
    const addDevice = (d: number) => {
      const need = deviceNeed[d];
      const both = need === 3 ? 1 : 0;
      if (need & 1) edge((deviceS[d] = node(1 + deviceStd[d] + both)), SINK, pr.deviceStandard);
      if (need & 2) edge((deviceE[d] = node(1 + deviceEnt[d] + both)), SINK, pr.deviceEnterprise);
      if (both) edge(deviceE[d], deviceS[d], inf); // dE -> dS
    };

    const componentStart: number[] = [2];
    // BFS over holders, ids given on discovery; queue entries are u (user) or ~d (device).
    const queue = new Int32Array(users + devices);
    const seenUser = new Uint8Array(users);
    const seenDevice = new Uint8Array(devices);
    for (let root = 0; root < users; root++) {
      if (seenUser[root] || userNeed[root] === 0) continue;
      seenUser[root] = 1;
      addUser(root);
      queue[0] = root;
      let qt = 1;
      for (let qh = 0; qh < qt; qh++) {
        const h = queue[qh];
        if (h >= 0) {
          for (let k = userPairStart[h]; k < userPairStart[h + 1]; k++) {
            const d = pairDevice[k];
            if (!seenDevice[d]) {
              seenDevice[d] = 1;
              addDevice(d);
              queue[qt++] = ~d;
            }
            if (pairLevel[k] === ENT) edge(userE[h], deviceE[d], inf);
            else edge(userS[h], deviceS[d], inf);
          }
        } else {
          for (let k = deviceUserStart[~h]; k < deviceUserStart[~h + 1]; k++) {
            const u = deviceUsers[k];
            if (!seenUser[u]) {
              seenUser[u] = 1;
              addUser(u);
              queue[qt++] = u;
            }
          }
        }
      }
      componentStart.push(next);
    }
    start[n] = arcs;
    return {
      net: { n, inf, start, head, rev, cap },
      userS,
      userE,
      deviceS,
      deviceE,
      componentStart: Int32Array.from(componentStart),
    };
  }

  // ---------------------------------------------------------------- max flow (Dinic, per component)

  interface FlowWork {
    level: Int32Array; // distance to t in the residual graph, -1 = unknown or dead
    current: Int32Array;
    queue: Int32Array;
    pathArc: Int32Array;
    pathNode: Int32Array;
    sourceArc: Int32Array; // arc s->v, or -1
    labelled: number; // queue[0..labelled-1] = nodes labelled by the last BFS
  }

  function solveComponents(g: Network, componentStart: Int32Array) {
    const { start, head } = g;
    const work: FlowWork = {
      level: new Int32Array(g.n).fill(-1),
      current: new Int32Array(g.n),
      queue: new Int32Array(g.n),
      pathArc: new Int32Array(g.n),
      pathNode: new Int32Array(g.n),
      sourceArc: new Int32Array(g.n).fill(-1),
      labelled: 0,
    };
    for (let a = start[SOURCE]; a < start[SOURCE + 1]; a++) work.sourceArc[head[a]] = a;
    // Arcs of s and of t are sorted by head, so each component owns one contiguous range of each.
    let sArc = start[SOURCE];
    let tArc = start[SINK];
    let flow = 0;
    let phases = 0;
    let maxPhases = 0;
    let largest = 0;
    for (let c = 0; c + 1 < componentStart.length; c++) {
      const lo = componentStart[c];
      const hi = componentStart[c + 1];
      const sFirst = sArc;
      const tFirst = tArc;
      while (sArc < start[SOURCE + 1] && head[sArc] < hi) sArc++;
      while (tArc < start[SINK + 1] && head[tArc] < hi) tArc++;
      flow += greedyFlow(g, sFirst, sArc);
      let k = 0;
      while (levelsToSink(g, work, lo, hi, tFirst, tArc)) {
        const pushed = blockingFlow(g, work, sFirst, sArc);
        // s was labelled, so a shortest path exists: no progress would mean a broken invariant, not a loop.
        if (pushed <= 0) throw new Error("minCostCover: internal error, a Dinic phase found no flow");
        flow += pushed;
        k++;
      }
      phases += k;
      if (k > maxPhases) maxPhases = k;
      if (hi - lo > largest) largest = hi - lo;
    }
    // Each component's last BFS found no path to s, so it ran to completion: the labelled
    // nodes are exactly those that still reach t, the smallest sink side of a minimum cut (the same
    // set for every maximum flow, so the cover does not depend on how the flow was found).
    return { flow, phases, maxPhases, largest, sinkSide: work.level };
  }

  /**
   * Initial flow along the two-arc paths s->x->y->t, in one pass: it does the bulk of the work that
   * the first Dinic phase would, without its BFS and path bookkeeping.
   */
  function greedyFlow(g: Network, sFirst: number, sEnd: number): number {
    const { start, head, rev, cap } = g;
    let total = 0;
    for (let sa = sFirst; sa < sEnd; sa++) {
      const x = head[sa];
      let left = cap[sa];
      for (let a = start[x] + 1, end = start[x + 1]; a < end && left > 0; a++) {
        const ta = start[head[a]]; // the first arc of a device node goes to t
        if (head[ta] !== SINK || cap[ta] === 0) continue;
        const f = cap[ta] < left ? cap[ta] : left;
        left -= f;
        cap[ta] -= f;
        cap[rev[ta]] += f;
        cap[a] -= f;
        cap[rev[a]] += f;
      }
      const sent = cap[sa] - left;
      cap[sa] = left;
      cap[rev[sa]] += sent;
      total += sent;
    }
    return total;
  }

  /**
   * Reverse BFS from t (arcs of t: tFirst..tEnd-1) giving each node of the component its residual
   * distance to t; stops once s is labelled, as farther nodes cannot be on a shortest path.
   * Internal edges are all INF and an arc's residual plus its partner's is the edge capacity, so
   * x->v has residual iff v's arc to x has less than INF: no lookup of the partner arc needed.
   */
  function levelsToSink(g: Network, w: FlowWork, lo: number, hi: number, tFirst: number, tEnd: number): boolean {
    const { start, head, rev, cap, inf } = g;
    const { level, queue, sourceArc } = w;
    level.fill(-1, lo, hi);
    level[SINK] = 0;
    let sourceLevel = -1;
    let qt = 0;
    for (let a = tFirst; a < tEnd; a++) {
      const x = head[a];
      if (cap[rev[a]] > 0) {
        level[x] = 1;
        queue[qt++] = x;
        if (sourceLevel < 0 && sourceArc[x] >= 0 && cap[sourceArc[x]] > 0) sourceLevel = 2;
      }
    }
    let qh = 0;
    while (qh < qt) {
      const v = queue[qh++];
      const next = level[v] + 1;
      if (sourceLevel >= 0 && next >= sourceLevel) break;
      for (let a = start[v], end = start[v + 1]; a < end; a++) {
        const x = head[a];
        if (x > SINK && level[x] < 0 && cap[a] < inf) {
          level[x] = next;
          queue[qt++] = x;
          if (sourceLevel < 0 && sourceArc[x] >= 0 && cap[sourceArc[x]] > 0) sourceLevel = next + 1;
        }
      }
    }
    level[SOURCE] = sourceLevel;
    w.labelled = qt;
    return sourceLevel > 0;
  }

  /**
   * Blocking flow from s (arcs sFirst..sEnd-1) on the level graph: residual arcs to a labelled node
   * nearer t (BFS distances make that exactly one level nearer). Iterative DFS with current-arc
   * pointers; a node whose arcs are exhausted is dead for the rest of the phase.
   */
  function blockingFlow(g: Network, w: FlowWork, sFirst: number, sEnd: number): number {
    const { start, head, rev, cap } = g;
    const { level, current, pathArc, pathNode, queue } = w;
    // Only labelled nodes can be entered, so only their current arcs need resetting.
    current[SOURCE] = sFirst;
    for (let i = 0; i < w.labelled; i++) current[queue[i]] = start[queue[i]];
    let total = 0;
    let top = 0;
    let v = SOURCE;
    for (;;) {
      if (v === SINK) {
        let f = cap[pathArc[0]];
        for (let i = 1; i < top; i++) if (cap[pathArc[i]] < f) f = cap[pathArc[i]];
        let cut = -1;
        for (let i = 0; i < top; i++) {
          const a = pathArc[i];
          cap[a] -= f;
          cap[rev[a]] += f;
          if (cut < 0 && cap[a] === 0) cut = i;
        }
        total += f;
        top = cut; // resume from the tail of the first saturated arc
        v = pathNode[cut];
        continue;
      }
      const lv = level[v];
      const end = v === SOURCE ? sEnd : start[v + 1];
      let a = current[v];
      for (; a < end; a++) {
        const lx = level[head[a]];
        if (lx >= 0 && lx < lv && cap[a] > 0) break;
      }
      current[v] = a;
      if (a < end) {
        pathNode[top] = v;
        pathArc[top++] = a;
        v = head[a];
        continue;
      }
      level[v] = -1; // dead end for this phase
      if (top === 0) return total;
      v = pathNode[--top];
      current[v]++;
    }
  }

  /** sinkSide[v] >= 0 iff node v is on the sink side of the cut. */
  function readCover(p: CoverProblem, r: Reduced, l: Layout, sinkSide: Int32Array): Cover {
    const userStandard = new Uint8Array(p.users);
    const userEnterprise = new Uint8Array(p.users);
    const deviceStandard = new Uint8Array(p.devices);
    const deviceEnterprise = new Uint8Array(p.devices);
    for (let u = 0; u < p.users; u++) {
      const f = r.userForce[u];
      if (f >= STD || (l.userS[u] >= 0 && sinkSide[l.userS[u]] >= 0)) userStandard[u] = 1;
      if (f === ENT || (l.userE[u] >= 0 && sinkSide[l.userE[u]] >= 0)) userEnterprise[u] = 1;
    }
    for (let d = 0; d < p.devices; d++) {
      const f = r.deviceForce[d];
      if (f >= STD || (l.deviceS[d] >= 0 && sinkSide[l.deviceS[d]] < 0)) deviceStandard[d] = 1;
      if (f === ENT || (l.deviceE[d] >= 0 && sinkSide[l.deviceE[d]] < 0)) deviceEnterprise[d] = 1;
    }
    const c: Cover = { userStandard, userEnterprise, deviceStandard, deviceEnterprise, cost: 0 };
    c.cost = coverCost(c, p.prices);
    return c;
  }

  return { minCostCover, minCostCoverWithStats, coverCost, uncoveredAccesses };
}

export const { minCostCover, minCostCoverWithStats, coverCost, uncoveredAccesses } = minCutKit();
