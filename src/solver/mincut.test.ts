// The seeded generator the solver benchmark uses: the same random graphs, one definition.
import { mulberry32 } from "../../test/support/random";
import fc from "fast-check";
import { Cover, CoverPrices, CoverProblem, coverCost, minCostCover, uncoveredAccesses } from "./mincut";

/** An access row: [user or -1, device or -1, needs Enterprise]. */
type Access = [number, number, boolean?];

const PRICES: CoverPrices = {
  userStandard: 100,
  userEnterprise: 60,
  deviceStandard: 90,
  deviceEnterprise: 50,
};

function problem(users: number, devices: number, accesses: Access[], prices: CoverPrices = PRICES): CoverProblem {
  return {
    users,
    devices,
    edgeUser: Int32Array.from(accesses.map((a) => a[0])),
    edgeDevice: Int32Array.from(accesses.map((a) => a[1])),
    edgeEnterprise: Uint8Array.from(accesses.map((a) => (a[2] ? 1 : 0))),
    prices,
  };
}

const ones = (a: Uint8Array) => a.reduce((n, x) => n + x, 0);
const held = (a: Uint8Array) => [...a.keys()].filter((i) => a[i] === 1);

/** Solves and checks what must hold for every answer: valid, priced right, Enterprise on top of Standard. */
function solve(p: CoverProblem): Cover {
  const c = minCostCover(p);
  expect(uncoveredAccesses(p, c)).toEqual([]);
  expect(c.cost).toBe(coverCost(c, p.prices));
  for (let u = 0; u < p.users; u++) if (c.userEnterprise[u]) expect(c.userStandard[u]).toBe(1);
  for (let d = 0; d < p.devices; d++) if (c.deviceEnterprise[d]) expect(c.deviceStandard[d]).toBe(1);
  return c;
}

/** Cheapest cover by trying every holder at every level (none, S, S+E). */
function bruteForceCost(p: CoverProblem): number {
  const holders = p.users + p.devices;
  const level = new Int32Array(holders);
  const price = (h: number, l: number) => {
    const [s, e] = h < p.users ? [p.prices.userStandard, p.prices.userEnterprise] : [p.prices.deviceStandard, p.prices.deviceEnterprise];
    return l === 0 ? 0 : l === 1 ? s : s + e;
  };
  let best = Infinity;
  for (;;) {
    let ok = true;
    for (let i = 0; i < p.edgeUser.length && ok; i++) {
      const need = p.edgeEnterprise[i] ? 2 : 1;
      const u = p.edgeUser[i];
      const d = p.edgeDevice[i];
      ok = (u >= 0 && level[u] >= need) || (d >= 0 && level[p.users + d] >= need);
    }
    if (ok) {
      let cost = 0;
      for (let h = 0; h < holders; h++) cost += price(h, level[h]);
      best = Math.min(best, cost);
    }
    let h = 0;
    while (h < holders && level[h] === 2) level[h++] = 0;
    if (h === holders) return best;
    level[h]++;
  }
}

/** Every user holds what its accesses need; undefined when a device-only access makes that invalid. */
function allUsersCost(p: CoverProblem): number | undefined {
  const need = new Uint8Array(p.users);
  for (let i = 0; i < p.edgeUser.length; i++) {
    const u = p.edgeUser[i];
    if (u < 0) return undefined;
    need[u] = Math.max(need[u], p.edgeEnterprise[i] ? 2 : 1);
  }
  return need.reduce((sum, l) => sum + (l >= 1 ? p.prices.userStandard : 0) + (l === 2 ? p.prices.userEnterprise : 0), 0);
}

function allDevicesCost(p: CoverProblem): number | undefined {
  const need = new Uint8Array(p.devices);
  for (let i = 0; i < p.edgeDevice.length; i++) {
    const d = p.edgeDevice[i];
    if (d < 0) return undefined;
    need[d] = Math.max(need[d], p.edgeEnterprise[i] ? 2 : 1);
  }
  return need.reduce((sum, l) => sum + (l >= 1 ? p.prices.deviceStandard : 0) + (l === 2 ? p.prices.deviceEnterprise : 0), 0);
}

/** Random inventory: personal devices, shared kiosks, one-sided rows, some Enterprise users. */
function randomProblem(seed: number, rows: number, users: number, devices: number, prices: CoverPrices = PRICES): CoverProblem {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const kiosks = Math.max(1, Math.floor(devices / 20));
  const enterprise = Array.from({ length: users }, () => rnd() < 0.1);
  const accesses: Access[] = [];
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    const u = int(users);
    if (r < 0.03) accesses.push([-1, int(devices), rnd() < 0.1]);
    else if (r < 0.05) accesses.push([u, -1, enterprise[u]]);
    else if (r < 0.4) accesses.push([u, int(kiosks), enterprise[u]]);
    else accesses.push([u, kiosks + ((u * 7 + int(3)) % (devices - kiosks)), enterprise[u]]);
  }
  return problem(users, devices, accesses, prices);
}

describe("minCostCover: hand-checked cases", () => {
  test("1,000 users each on their own computer need 1,000 CALs", () => {
    const accesses: Access[] = Array.from({ length: 1000 }, (_, i) => [i, i]);
    const c = solve(problem(1000, 1000, accesses));
    expect(ones(c.userStandard) + ones(c.deviceStandard)).toBe(1000);
    expect(c.cost).toBe(1000 * PRICES.deviceStandard); // the device CAL is the cheaper one here
  });

  test("a kiosk shared by 50 users needs one device CAL", () => {
    const accesses: Access[] = Array.from({ length: 50 }, (_, u) => [u, 0]);
    const c = solve(problem(50, 1, accesses));
    expect(held(c.deviceStandard)).toEqual([0]);
    expect(ones(c.userStandard)).toBe(0);
    expect(c.cost).toBe(PRICES.deviceStandard);
  });

  test("a user on 3 devices needs one user CAL", () => {
    const c = solve(
      problem(1, 3, [
        [0, 0],
        [0, 1],
        [0, 2],
      ]),
    );
    expect(held(c.userStandard)).toEqual([0]);
    expect(ones(c.deviceStandard)).toBe(0);
    expect(c.cost).toBe(PRICES.userStandard);
  });

  test("complete bipartite K(3,5) needs 3 CALs, on the users", () => {
    const accesses: Access[] = [];
    for (let u = 0; u < 3; u++) for (let d = 0; d < 5; d++) accesses.push([u, d]);
    const c = solve(problem(3, 5, accesses));
    expect(held(c.userStandard)).toEqual([0, 1, 2]);
    expect(ones(c.deviceStandard)).toBe(0);
    expect(c.cost).toBe(300);
  });

  test("repeated rows cost nothing extra", () => {
    const once = solve(
      problem(2, 2, [
        [0, 0],
        [1, 1],
      ]),
    );
    const many = solve(
      problem(2, 2, [
        [0, 0],
        [0, 0],
        [1, 1],
        [0, 0],
        [1, 1],
      ]),
    );
    expect(many.cost).toBe(once.cost);
  });

  describe("Enterprise on a kiosk shared by 30 Standard users and one Enterprise user", () => {
    // users 0..29 Standard on kiosk 0, user 30 Enterprise on kiosk 0. Candidates:
    //   (a) kiosk S + user 30 S+E      = dS + uS + uE
    //   (b) kiosk S+E                  = dS + dE
    //   (c) every user S, user 30 +E   = 31 uS + uE
    const accesses: Access[] = [...Array.from({ length: 30 }, (_, u): Access => [u, 0]), [30, 0, true]];

    test("cheap device add-on: the kiosk holds Standard + Enterprise", () => {
      // (a) 90 + 100 + 60 = 250, (b) 90 + 50 = 140, (c) 3160
      const c = solve(problem(31, 1, accesses));
      expect(held(c.deviceStandard)).toEqual([0]);
      expect(held(c.deviceEnterprise)).toEqual([0]);
      expect(ones(c.userStandard) + ones(c.userEnterprise)).toBe(0);
      expect(c.cost).toBe(140);
    });

    test("expensive device add-on: kiosk Standard, the Enterprise user holds S+E", () => {
      // (a) 90 + 100 + 60 = 250, (b) 90 + 500 = 590, (c) 3160
      const c = solve(problem(31, 1, accesses, { ...PRICES, deviceEnterprise: 500 }));
      expect(held(c.deviceStandard)).toEqual([0]);
      expect(ones(c.deviceEnterprise)).toBe(0);
      expect(held(c.userStandard)).toEqual([30]);
      expect(held(c.userEnterprise)).toEqual([30]);
      expect(c.cost).toBe(250);
    });

    test("expensive device CALs: every user holds Standard, the Enterprise user also Enterprise", () => {
      // (a) 5000 + 160 = 5160, (b) 5000 + 50 = 5050, (c) 31 * 100 + 60 = 3160
      const c = solve(problem(31, 1, accesses, { ...PRICES, deviceStandard: 5000 }));
      expect(ones(c.deviceStandard)).toBe(0);
      expect(ones(c.userStandard)).toBe(31);
      expect(held(c.userEnterprise)).toEqual([30]);
      expect(c.cost).toBe(3160);
    });
  });

  test("Enterprise on a pair also covers its Standard access", () => {
    // user 0 on device 0 both Standard and Enterprise; cheapest is device S+E = 140 (user S+E = 160)
    const c = solve(
      problem(1, 1, [
        [0, 0],
        [0, 0, true],
      ]),
    );
    expect(c.cost).toBe(140);
    expect(held(c.deviceEnterprise)).toEqual([0]);
  });

  test("a user-only access forces a user CAL, which then covers that user everywhere", () => {
    // user 0 has a row with no device, so holds Standard; its kiosk row needs no device CAL.
    const c = solve(
      problem(1, 1, [
        [0, -1],
        [0, 0],
      ]),
    );
    expect(held(c.userStandard)).toEqual([0]);
    expect(ones(c.deviceStandard)).toBe(0);
    expect(c.cost).toBe(100);
  });

  test("a user-only Enterprise access forces Standard + Enterprise even when devices are cheaper", () => {
    const c = solve(
      problem(2, 1, [
        [0, -1, true],
        [1, 0],
      ]),
    );
    expect(held(c.userStandard)).toEqual([0]);
    expect(held(c.userEnterprise)).toEqual([0]);
    expect(held(c.deviceStandard)).toEqual([0]);
    expect(c.cost).toBe(100 + 60 + 90);
  });

  test("a forced Standard user still needs Enterprise for an Enterprise access", () => {
    // user 0 forced to Standard; its Enterprise access on device 0 costs +60 on the user (device S+E = 140).
    const c = solve(
      problem(1, 1, [
        [0, -1],
        [0, 0, true],
      ]),
    );
    expect(held(c.userEnterprise)).toEqual([0]);
    expect(c.cost).toBe(160);
  });

  test("a device-only access forces a device CAL, which then covers its users", () => {
    // device 0 has a row with no user; three users on it need nothing, even though users are cheaper.
    const c = solve(
      problem(
        3,
        1,
        [
          [-1, 0],
          [0, 0],
          [1, 0],
          [2, 0],
        ],
        { ...PRICES, userStandard: 10 },
      ),
    );
    expect(held(c.deviceStandard)).toEqual([0]);
    expect(ones(c.userStandard)).toBe(0);
    expect(c.cost).toBe(90);
  });

  test("a device-only Enterprise access forces Standard + Enterprise on the device", () => {
    const c = solve(
      problem(1, 2, [
        [-1, 1, true],
        [0, 0],
      ]),
    );
    expect(held(c.deviceStandard)).toEqual([0, 1]);
    expect(held(c.deviceEnterprise)).toEqual([1]);
    expect(c.cost).toBe(90 + 90 + 50);
  });

  test("no accesses cost nothing", () => {
    const c = solve(problem(3, 2, []));
    expect(c.cost).toBe(0);
    expect(ones(c.userStandard) + ones(c.deviceStandard)).toBe(0);
  });
});

describe("minCostCover: input validation", () => {
  test("an access with neither user nor device throws", () => {
    expect(() =>
      minCostCover(
        problem(1, 1, [
          [0, 0],
          [-1, -1],
        ]),
      ),
    ).toThrow(/access 1 has neither a user nor a device/);
  });

  test.each([
    ["zero", { userStandard: 0 }],
    ["negative", { deviceStandard: -5 }],
    ["fractional", { userEnterprise: 1.5 }],
    ["NaN", { deviceEnterprise: NaN }],
    ["unsafe", { userStandard: 2 ** 53 }],
  ])("a %s price throws", (_, bad) => {
    expect(() => minCostCover(problem(1, 1, [[0, 0]], { ...PRICES, ...bad }))).toThrow(/must be a positive safe integer/);
  });

  test("indexes out of range throw", () => {
    expect(() => minCostCover(problem(1, 1, [[1, 0]]))).toThrow(/access 0 has user 1/);
    expect(() => minCostCover(problem(1, 1, [[0, 1]]))).toThrow(/access 0 has device 1/);
    expect(() => minCostCover(problem(1, 1, [[-2, 0]]))).toThrow(/access 0 has user -2/);
  });

  test("arrays of different lengths throw", () => {
    const p = problem(1, 1, [[0, 0]]);
    expect(() => minCostCover({ ...p, edgeDevice: new Int32Array(2) })).toThrow(/equal lengths/);
    expect(() => minCostCover({ ...p, edgeEnterprise: new Uint8Array(0) })).toThrow(/equal lengths/);
  });

  test("bad counts and Enterprise flags throw", () => {
    expect(() => minCostCover(problem(-1, 1, []))).toThrow(/users must be/);
    expect(() => minCostCover(problem(1, 1.5, []))).toThrow(/devices must be/);
    const p = problem(1, 1, [[0, 0]]);
    expect(() => minCostCover({ ...p, edgeEnterprise: Uint8Array.of(2) })).toThrow(/expected 0 or 1/);
  });

  test("prices too large to solve exactly throw instead of rounding", () => {
    const huge = 2 ** 50;
    const p = problem(
      4,
      4,
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      { userStandard: huge, userEnterprise: huge, deviceStandard: huge, deviceEnterprise: huge },
    );
    expect(() => minCostCover(p)).toThrow(/too large/);
  });
});

describe("coverCost and uncoveredAccesses", () => {
  const p = problem(2, 2, [
    [0, 0],
    [1, 1, true],
    [-1, 0],
  ]);
  const cover = (us: number[], ue: number[], ds: number[], de: number[]): Cover => ({
    userStandard: Uint8Array.from(us),
    userEnterprise: Uint8Array.from(ue),
    deviceStandard: Uint8Array.from(ds),
    deviceEnterprise: Uint8Array.from(de),
    cost: 0,
  });

  test("coverCost adds the price of everything held", () => {
    expect(coverCost(cover([1, 1], [0, 1], [1, 0], [0, 0]), PRICES)).toBe(100 + 100 + 60 + 90);
  });

  test("reports the accesses a cover misses", () => {
    expect(uncoveredAccesses(p, cover([0, 0], [0, 0], [0, 0], [0, 0]))).toEqual([0, 1, 2]);
    expect(uncoveredAccesses(p, cover([0, 1], [0, 1], [1, 0], [0, 0]))).toEqual([]);
  });

  test("an Enterprise CAL without the Standard one covers nothing", () => {
    expect(uncoveredAccesses(p, cover([0, 0], [0, 1], [1, 0], [0, 0]))).toEqual([1]);
    expect(uncoveredAccesses(p, cover([0, 1], [0, 0], [1, 0], [0, 0]))).toEqual([1]); // Standard alone is not enough
  });

  test("a cover of the wrong size throws", () => {
    expect(() => uncoveredAccesses(p, cover([0], [0, 0], [0, 0], [0, 0]))).toThrow(/userStandard must have length 2/);
  });
});

describe("minCostCover: properties", () => {
  const prices = fc.record({
    userStandard: fc.integer({ min: 1, max: 9 }),
    userEnterprise: fc.integer({ min: 1, max: 9 }),
    deviceStandard: fc.integer({ min: 1, max: 9 }),
    deviceEnterprise: fc.integer({ min: 1, max: 9 }),
  });
  const smallProblem = fc
    .record({ users: fc.integer({ min: 1, max: 5 }), devices: fc.integer({ min: 1, max: 5 }) })
    .chain(({ users, devices }) =>
      fc.record({
        users: fc.constant(users),
        devices: fc.constant(devices),
        accesses: fc.array(
          fc.tuple(fc.integer({ min: -1, max: users - 1 }), fc.integer({ min: -1, max: devices - 1 }), fc.boolean()).filter(([u, d]) => u >= 0 || d >= 0),
          { maxLength: 10 },
        ),
        prices,
      }),
    )
    .map(({ users, devices, accesses, prices }) => problem(users, devices, accesses as Access[], prices));

  test("costs exactly the brute-force minimum, with a valid cover", () => {
    fc.assert(
      fc.property(smallProblem, (p) => {
        const c = solve(p);
        expect(c.cost).toBe(bruteForceCost(p));
      }),
      { numRuns: 400 },
    );
  });

  test("never costs more than covering everything by users, or everything by devices", () => {
    fc.assert(
      fc.property(smallProblem, (p) => {
        const c = solve(p);
        const byUsers = allUsersCost(p);
        const byDevices = allDevicesCost(p);
        if (byUsers !== undefined) expect(c.cost).toBeLessThanOrEqual(byUsers);
        if (byDevices !== undefined) expect(c.cost).toBeLessThanOrEqual(byDevices);
      }),
      { numRuns: 300 },
    );
  });

  test("the cover does not depend on row order or repeated rows", () => {
    fc.assert(
      fc.property(smallProblem, fc.infiniteStream(fc.nat()), (p, randoms) => {
        const rows = [...p.edgeUser.keys()];
        const order = rows.map((i) => [randoms.next().value as number, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const picked = [...order.map(([, i]) => i), ...rows.filter((i) => i % 2 === 0)]; // shuffled, some twice
        const q: CoverProblem = {
          ...p,
          edgeUser: Int32Array.from(picked, (i) => p.edgeUser[i]),
          edgeDevice: Int32Array.from(picked, (i) => p.edgeDevice[i]),
          edgeEnterprise: Uint8Array.from(picked, (i) => p.edgeEnterprise[i]),
        };
        // The cut taken (smallest sink side) is the same for every maximum flow, so the cover is too.
        expect(minCostCover(q)).toEqual(minCostCover(p));
      }),
      { numRuns: 200 },
    );
  });
});

describe("minCostCover: a medium inventory", () => {
  /** A valid cover putting each row on its user (or its device when preferDevices), falling back to the other side. */
  function naiveCover(p: CoverProblem, preferDevices: boolean): Cover {
    const c: Cover = {
      userStandard: new Uint8Array(p.users),
      userEnterprise: new Uint8Array(p.users),
      deviceStandard: new Uint8Array(p.devices),
      deviceEnterprise: new Uint8Array(p.devices),
      cost: 0,
    };
    for (let i = 0; i < p.edgeUser.length; i++) {
      const onDevice = p.edgeDevice[i] >= 0 && (preferDevices || p.edgeUser[i] < 0);
      const [s, e, h] = onDevice ? [c.deviceStandard, c.deviceEnterprise, p.edgeDevice[i]] : [c.userStandard, c.userEnterprise, p.edgeUser[i]];
      s[h] = 1;
      if (p.edgeEnterprise[i]) e[h] = 1;
    }
    c.cost = coverCost(c, p.prices);
    return c;
  }

  test("20,000 rows: a valid, deterministic cover cheaper than the naive ones", () => {
    const p = randomProblem(7, 20_000, 3_000, 2_500);
    const c = solve(p);
    expect(minCostCover(p)).toEqual(c);
    for (const preferDevices of [false, true]) {
      const naive = naiveCover(p, preferDevices);
      expect(uncoveredAccesses(p, naive)).toEqual([]);
      expect(c.cost).toBeLessThan(naive.cost);
    }
    // with user CALs nearly free, the answer is (almost) all users: only devices with userless rows hold
    const cheapUsers = { ...p, prices: { ...PRICES, userStandard: 1, userEnterprise: 1 } };
    const u = solve(cheapUsers);
    const forced = new Set([...p.edgeUser.keys()].filter((i) => p.edgeUser[i] < 0).map((i) => p.edgeDevice[i]));
    expect(held(u.deviceStandard).every((d) => forced.has(d))).toBe(true);
  });
});
