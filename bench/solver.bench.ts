/**
 * Micro-benchmark for the min-cut CAL cover solver on a synthetic inventory of the audit's
 * benchmark size: 1,048,575 access rows, 150,000 users, 120,000 devices, 30 servers, ~10%
 * Enterprise rows.
 *
 * Shape: users work at sites of 2,000. Each user has 1-3 devices of their own (there are fewer
 * personal devices than users need, so desks get shared); 5% of devices are kiosks shared by
 * 20-200 users; 3% of devices have no user recorded (device-only rows) and 2% of users have no
 * device (user-only rows); 10% of users need Enterprise features and all their rows do.
 * Stress options: kiosk users drawn from the whole organisation (one giant connected component,
 * the hardest shape for the solver), and desks handed out in sequence (long user-desk chains).
 *
 * Run: npx tsc --outDir /tmp/solverbench --rootDir . --target ES2020 --module commonjs \
 *        --skipLibCheck --types node bench/solver.bench.ts \
 *      && node --expose-gc /tmp/solverbench/bench/solver.bench.js [default|org-wide-kiosks|sequential-desks|all]
 */
import {
  CoverPrices,
  CoverProblem,
  CoverStats,
  minCostCoverWithStats,
  uncoveredAccesses,
} from "../src/solver";
import { mulberry32 } from "../test/support/random";

export interface BenchOptions {
  seed?: number;
  rows?: number;
  users?: number;
  devices?: number;
  servers?: number;
  prices?: CoverPrices;
  runs?: number;
  kiosksOrgWide?: boolean; // kiosk users from the whole organisation instead of the kiosk's site
  sequentialDesks?: boolean; // shared desks handed out in sequence (chains) instead of at random
}

export interface BenchResult {
  ms: number; // median solve time
  runsMs: number[];
  generateMs: number;
  rows: number;
  users: number;
  devices: number;
  enterpriseRows: number;
  cost: number;
  userCals: number;
  userEnterpriseCals: number;
  deviceCals: number;
  deviceEnterpriseCals: number;
  stats: CoverStats; // from the median run
  rssMb: number; // sampled after each solve, max
  peakRssMb: number; // process high-water mark (includes the generator and the inventory)
  heapUsedMb: number;
  solverArraysMb: number; // typed arrays allocated by one solve (GC'd first when node runs with --expose-gc)
}

/** Illustrative prices in cents: Standard user/device CAL, Enterprise add-on user/device CAL. */
export const BENCH_PRICES: CoverPrices = {
  userStandard: 8200,
  userEnterprise: 5100,
  deviceStandard: 7600,
  deviceEnterprise: 4900,
};

export interface Inventory extends CoverProblem {
  server: Uint8Array; // the solver ignores servers; kept so rows look like the audit's
}

const SITE_USERS = 2000;

export function generateInventory(opts: BenchOptions = {}): Inventory {
  const rnd = mulberry32(opts.seed ?? 20240611);
  const rows = opts.rows ?? 1_048_575;
  const users = opts.users ?? 150_000;
  const devices = opts.devices ?? 120_000;
  const servers = opts.servers ?? 30;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

  const sites = Math.max(1, Math.floor(users / SITE_USERS));
  const siteFirst = (s: number) => Math.floor((s * users) / sites);
  const siteEnd = (s: number) => Math.floor(((s + 1) * users) / sites);

  // Device ids are shuffled so kiosks, userless and personal devices interleave.
  const perm = shuffled(devices, rnd);
  const kiosks = Math.round(devices * 0.05);
  const userless = Math.round(devices * 0.03);
  const personal = devices - kiosks - userless;
  const enterpriseUser = new Uint8Array(users);
  const deviceless = new Uint8Array(users);
  for (let u = 0; u < users; u++) {
    enterpriseUser[u] = rnd() < 0.1 ? 1 : 0;
    deviceless[u] = rnd() < 0.02 ? 1 : 0;
  }

  // Distinct (user, device) pairs first; rows then revisit them on several servers.
  const pu: number[] = [];
  const pd: number[] = [];
  for (let s = 0; s < sites; s++) {
    const poolFirst = kiosks + userless + Math.floor((s * personal) / sites);
    const pool = kiosks + userless + Math.floor(((s + 1) * personal) / sites) - poolFirst;
    let fresh = 0;
    for (let u = siteFirst(s); u < siteEnd(s); u++) {
      if (deviceless[u]) continue;
      const r = rnd();
      const k = r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
      for (let j = 0; j < k; j++) {
        let slot: number;
        if (fresh < pool && rnd() < 0.7) slot = fresh++;
        else slot = opts.sequentialDesks ? fresh++ % pool : int(0, pool - 1);
        pu.push(u);
        pd.push(perm[poolFirst + slot]);
      }
    }
  }
  for (let k = 0; k < kiosks; k++) {
    const s = k % sites;
    const lo = opts.kiosksOrgWide ? 0 : siteFirst(s);
    const hi = opts.kiosksOrgWide ? users : siteEnd(s);
    const n = Math.min(int(20, 200), hi - lo);
    for (let j = 0; j < n; j++) {
      pu.push(int(lo, hi - 1));
      pd.push(perm[k]);
    }
  }
  const pairs = pu.length;

  const edgeUser = new Int32Array(rows);
  const edgeDevice = new Int32Array(rows);
  const edgeEnterprise = new Uint8Array(rows);
  const server = new Uint8Array(rows);
  const order = shuffled(rows, rnd); // rows arrive in log order, not grouped by pair
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    let u: number;
    let d: number;
    if (r < 0.02) {
      u = -1; // a device with no user recorded
      d = perm[kiosks + int(0, userless - 1)];
    } else if (r < 0.035) {
      u = int(0, users - 1); // a user with no device recorded (web / mobile)
      d = -1;
    } else {
      const k = i < pairs ? i : int(0, pairs - 1); // every pair at least once when rows allow
      u = pu[k];
      d = pd[k];
    }
    if (u >= 0 && d >= 0 && deviceless[u]) d = -1;
    const at = order[i];
    edgeUser[at] = u;
    edgeDevice[at] = d;
    edgeEnterprise[at] = u >= 0 ? enterpriseUser[u] : rnd() < 0.1 ? 1 : 0;
    server[at] = int(0, servers - 1);
  }
  return {
    users,
    devices,
    edgeUser,
    edgeDevice,
    edgeEnterprise,
    server,
    prices: opts.prices ?? BENCH_PRICES,
  };
}

function shuffled(n: number, rnd: () => number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

const MB = 1024 * 1024;

export function runSolverBench(opts: BenchOptions = {}): BenchResult {
  const t0 = performance.now();
  const inv = generateInventory(opts);
  const generateMs = performance.now() - t0;
  const runs = Math.max(1, opts.runs ?? 5);
  const results: { ms: number; solved: ReturnType<typeof minCostCoverWithStats> }[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  let rss = 0;
  let arrays = 0;
  for (let r = 0; r < runs; r++) {
    gc?.();
    const before = process.memoryUsage().arrayBuffers;
    const s = performance.now();
    const solved = minCostCoverWithStats(inv);
    results.push({ ms: performance.now() - s, solved });
    const mem = process.memoryUsage();
    rss = Math.max(rss, mem.rss);
    arrays = Math.max(arrays, mem.arrayBuffers - before);
  }
  const median = [...results].sort((a, b) => a.ms - b.ms)[Math.floor(results.length / 2)];
  const c = median.solved.cover;
  const missed = uncoveredAccesses(inv, c).length;
  if (missed) throw new Error(`bench: cover misses ${missed} accesses`);
  if (results.some((r) => r.solved.cover.cost !== c.cost))
    throw new Error("bench: runs disagree on the cost");
  const ones = (a: Uint8Array) => a.reduce((n, x) => n + x, 0);
  return {
    ms: median.ms,
    runsMs: results.map((r) => r.ms),
    generateMs,
    rows: inv.edgeUser.length,
    users: inv.users,
    devices: inv.devices,
    enterpriseRows: ones(inv.edgeEnterprise),
    cost: c.cost,
    userCals: ones(c.userStandard),
    userEnterpriseCals: ones(c.userEnterprise),
    deviceCals: ones(c.deviceStandard),
    deviceEnterpriseCals: ones(c.deviceEnterprise),
    stats: median.solved.stats,
    rssMb: rss / MB,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / MB,
    solverArraysMb: arrays / MB,
  };
}

export function formatBench(name: string, r: BenchResult): string {
  const f = (x: number) => x.toFixed(0);
  const s = r.stats;
  return [
    `${name}: solve median ${f(r.ms)} ms [${r.runsMs.map(f).join(", ")}] (generate ${f(r.generateMs)} ms)`,
    `  stages ms: validate ${f(s.ms.validate)}, reduce ${f(s.ms.reduce)}, layout ${f(s.ms.layout)}, build ${f(s.ms.build)}, ` +
      `flow ${f(s.ms.flow)}, read ${f(s.ms.read)}`,
    `  input: ${r.rows} rows, ${r.users} users, ${r.devices} devices, ${r.enterpriseRows} Enterprise rows`,
    `  graph: ${s.pairs} distinct pairs, ${s.nodes} nodes, ${s.arcs} arcs, ${s.components} components ` +
      `(largest ${s.largestComponent} nodes), ${s.phases} phases (max ${s.maxPhases} in one component)`,
    `  cover: cost ${r.cost}, user S ${r.userCals} (+E ${r.userEnterpriseCals}), device S ${r.deviceCals} (+E ${r.deviceEnterpriseCals})`,
    `  memory: rss ${f(r.rssMb)} MB, peak rss ${f(r.peakRssMb)} MB, heap ${f(r.heapUsedMb)} MB, ` +
      `typed arrays allocated per solve ${f(r.solverArraysMb)} MB`,
  ].join("\n");
}

if (require.main === module) {
  const arg = process.argv[2] ?? "default";
  const variants: Record<string, BenchOptions> = {
    default: {},
    "org-wide-kiosks": { kiosksOrgWide: true },
    "sequential-desks": { sequentialDesks: true },
    "org-wide-kiosks+sequential-desks": { kiosksOrgWide: true, sequentialDesks: true },
  };
  const names = arg === "all" ? Object.keys(variants) : [arg];
  for (const name of names) {
    if (!variants[name])
      throw new Error(
        `unknown variant ${name}; use one of ${Object.keys(variants).join(", ")}, all`
      );
    console.log(formatBench(name, runSolverBench(variants[name])));
  }
}
