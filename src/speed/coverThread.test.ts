import fc from "fast-check";
import { nodeWorkers } from "../cli";
import { runAudit } from "../audit";
import { COVER_HEADER, CoverThread } from "./coverThread";
import { reportToJson } from "../audit";
import { CoverProblem, minCostCover } from "../solver";
import { WORKER_MIN_ROWS, WorkerHost } from "./workers";

/** A random problem: users, devices, accesses (either end may be missing, not both), prices. */
const problem = fc
  .record({
    users: fc.integer({ min: 1, max: 40 }),
    devices: fc.integer({ min: 1, max: 40 }),
    prices: fc.record({
      userStandard: fc.integer({ min: 1, max: 9 }),
      userEnterprise: fc.integer({ min: 1, max: 9 }),
      deviceStandard: fc.integer({ min: 1, max: 9 }),
      deviceEnterprise: fc.integer({ min: 1, max: 9 }),
    }),
    rows: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 2 }), fc.boolean()), { maxLength: 300 }),
  })
  .map(({ users, devices, prices, rows }): CoverProblem => {
    const edgeUser = new Int32Array(rows.length);
    const edgeDevice = new Int32Array(rows.length);
    const edgeEnterprise = new Uint8Array(rows.length);
    rows.forEach(([u, d, missing, ent], i) => {
      edgeUser[i] = missing === 1 ? -1 : u % users;
      edgeDevice[i] = missing === 2 ? -1 : d % devices;
      edgeEnterprise[i] = ent ? 1 : 0;
    });
    return { users, devices, edgeUser, edgeDevice, edgeEnterprise, prices };
  });

const plain = (c: ReturnType<typeof minCostCover>) => ({
  cost: c.cost,
  userStandard: Array.from(c.userStandard),
  userEnterprise: Array.from(c.userEnterprise),
  deviceStandard: Array.from(c.deviceStandard),
  deviceEnterprise: Array.from(c.deviceEnterprise),
});

describe("CoverThread: the mixed plan's min cut on a worker", () => {
  test("gives the cover minCostCover gives, problem after problem on one worker", () => {
    const thread = new CoverThread(nodeWorkers, 300, 40, 40);
    try {
      fc.assert(
        fc.property(problem, (p) => {
          expect(plain(thread.solve(p))).toEqual(plain(minCostCover(p)));
        }),
        { numRuns: 150 },
      );
      expect(thread.solvedOnWorker).toBeGreaterThan(100);
    } finally {
      thread.close();
    }
  });

  test("whatever goes wrong with the worker, the problem is solved here, with the same answer", () => {
    const p = fc.sample(problem, { numRuns: 1, seed: 7 })[0];
    const want = plain(minCostCover(p));
    const cannot: WorkerHost = {
      start: () => {
        throw new Error("ERR_WORKER_INIT_FAILED");
      },
    };
    const never: WorkerHost = { start: () => ({ stop: () => undefined }) };
    const broken: WorkerHost = {
      start: (source, data) => nodeWorkers.start(source.replace("function minCutKit() {", "function minCutKit() { throw new Error('x');"), data),
    };
    const silent: WorkerHost = {
      start: (_source, data) => {
        Atomics.store(new Int32Array(data, 0, 16), COVER_HEADER.STATE, COVER_HEADER.RUNNING); // and never solves
        return { stop: () => undefined };
      },
    };
    for (const [host, options] of [
      [cannot, {}],
      [never, { startTimeoutMs: 0 }],
      [broken, { startTimeoutMs: 60_000 }], // gives its work back at once, not after a minute
      [silent, { stallTimeoutMs: 100 }],
    ] as const) {
      const before = Date.now();
      const thread = new CoverThread(host, 300, 40, 40, options);
      expect(plain(thread.solve(p))).toEqual(want);
      expect(thread.solvedOnWorker).toBe(0);
      expect(Date.now() - before).toBeLessThan(30_000);
      thread.close();
    }
  });

  test("a problem too big for its buffer, or one minCostCover refuses, is dealt with here", () => {
    const thread = new CoverThread(nodeWorkers, 2, 2, 2);
    try {
      const prices = { userStandard: 1, userEnterprise: 1, deviceStandard: 1, deviceEnterprise: 1 };
      const big: CoverProblem = {
        users: 3,
        devices: 1,
        edgeUser: Int32Array.of(0, 1, 2),
        edgeDevice: Int32Array.of(0, 0, 0),
        edgeEnterprise: new Uint8Array(3),
        prices,
      };
      expect(thread.solve(big).cost).toBe(1); // one device CAL
      const bad: CoverProblem = { users: 1, devices: 1, edgeUser: Int32Array.of(5), edgeDevice: Int32Array.of(0), edgeEnterprise: new Uint8Array(1), prices };
      expect(() => thread.solve(bad)).toThrow(/outside -1\.\.0/);
      // What the shared slots would round (a fraction of a user, a price as text) is left to minCostCover to refuse.
      expect(() => thread.solve({ ...big, users: 2.5 })).toThrow(/users must be an integer/);
      expect(() => thread.solve({ ...big, prices: { ...prices, userStandard: "5" as unknown as number } })).toThrow(
        /userStandard must be a positive safe integer/,
      );
      expect(thread.solvedOnWorker).toBe(0);
    } finally {
      thread.close();
    }
  });

  test("runAudit with workers: the same report in mixed and auto modes, the min cut solved on a worker", () => {
    const rows = WORKER_MIN_ROWS + 10_000; // 1 row in 91 has neither user nor device: rejected
    const grid: (string | number)[][] = [["User", "Device", "Version", "Edition"]];
    for (let i = 0; i < rows; i++) {
      const u = (i * 7919) % 40_009;
      grid.push([
        i % 13 === 0 ? "" : `user${u}@contoso.com`,
        i % 7 === 0 ? "" : `PC-${(u * 31 + (i % 3)) % 30_011}`,
        i % 5 ? 2016 : 2019,
        u % 11 === 0 ? "Enterprise" : "Standard",
      ]);
    }
    const sources: string[] = [];
    const solved: number[] = [];
    let stopped = 0;
    const spy: WorkerHost = {
      start: (source, data) => {
        sources.push(source);
        const worker = nodeWorkers.start(source, data);
        const cover = /minCutKit/.test(source);
        // When the audit stops it, how many problems had the worker solved?
        return { stop: () => (stopped++, cover && solved.push(new Int32Array(data, 0, 16)[COVER_HEADER.SOLVED]), worker.stop()) };
      },
    };
    for (const mode of ["mixed", "auto"]) {
      sources.length = 0;
      solved.length = 0;
      const here = reportToJson(runAudit(grid, { mode, now: new Date(0) }));
      const there = reportToJson(runAudit(grid, { mode, now: new Date(0), workers: spy }));
      expect(there).toEqual(here);
      expect(sources.filter((s) => /minCutKit/.test(s))).toHaveLength(1);
      expect(solved).toEqual([1]);
    }
    // Auto with an owned table also tries two weighted mixes: three problems, one worker.
    solved.length = 0;
    const owned = [
      ["Type", "Edition", "Version", "Quantity"],
      ["User", "Standard", "2019", 5000],
    ];
    const here = reportToJson(runAudit(grid, { mode: "auto", owned, now: new Date(0) }));
    expect(reportToJson(runAudit(grid, { mode: "auto", owned, now: new Date(0), workers: spy }))).toEqual(here);
    expect(solved).toEqual([3]);
    // An audit that throws still stops both its workers.
    stopped = 0;
    const stuck = [...grid, ["someone", "", 2000, "Standard"]]; // no user CAL on 2000, and no device
    expect(() => runAudit(stuck, { mode: "mixed", workers: spy })).toThrow(/has no user CAL/);
    expect(stopped).toBe(2);
    // Per-user needs no min cut: no worker for it.
    sources.length = 0;
    runAudit(grid, { mode: "per-user", workers: spy });
    expect(sources.filter((s) => /minCutKit/.test(s))).toHaveLength(0);
  });
});
