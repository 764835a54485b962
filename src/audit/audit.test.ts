import { runAudit, reportToJson, AuditInputError } from ".";
import type { Grid } from "../sheet";

const HEADER = ["User", "Device", "Server", "Version", "Edition"];
const NOW = new Date("2026-11-27T12:00:00Z");

function audit(rows: unknown[][], options: Parameters<typeof runAudit>[1] = {}) {
  return runAudit([HEADER, ...rows] as Grid, { now: NOW, ...options });
}

describe("the seed column's examples", () => {
  test("1,000 users each on their own computer need 1,000 CALs in every mode", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [`user${i}`, `pc${i}`, "EX1", "2003", "Standard"]);
    for (const mode of ["per-user", "per-device", "mixed"]) {
      const r = audit(rows, { mode });
      expect(r.plan.user.standard + r.plan.device.standard).toBe(1000);
    }
  });

  test("on Exchange 2000 the 1,000 per-seat CALs are device CALs", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [`user${i}`, `pc${i}`, "EX1", "2000", ""]);
    const r = audit(rows, { mode: "per-seat" });
    expect(r.plan.device.standard).toBe(1000);
    expect(r.plan.user.standard).toBe(0);
    expect(() => audit(rows, { mode: "per-user" })).toThrow(/no user CAL/);
  });

  test("the cheapest mix gives no user CAL for a 2000 row: a user on five 2000-era PCs takes five device CALs", () => {
    const old = Array.from({ length: 5 }, (_, i) => ["ann", `PC${i}`, "EX1", "2000", ""]);
    const r = audit(old, { mode: "mixed" });
    expect(r.plan.device.standard).toBe(5);
    expect(r.plan.user.standard).toBe(0);
    // The same user on the same PCs on 2016 takes one user CAL; with both, the old rows still need the PCs.
    const both = [...old, ...old.map(([u, d, s]) => [u, d, s, "2016", ""])];
    const mixed = audit(both, { mode: "mixed" });
    expect(mixed.plan.device.standard).toBe(5);
    expect(mixed.plan.user.standard).toBe(0);
    const modern = audit(
      old.map(([u, d, s]) => [u, d, s, "2016", ""]),
      { mode: "mixed" },
    );
    expect(modern.plan.user.standard).toBe(1);
    expect(modern.plan.device.standard).toBe(0);
  });

  test("a kiosk shared by many users takes one device CAL in the cheapest mix", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`worker${i}`, "KIOSK-1", "EX1", "2016", "Standard"]);
    const r = audit(rows);
    expect(r.mode).toBe("per-device");
    expect(r.plan.device.standard).toBe(1);
    expect(r.plan.user.standard).toBe(0);
    const mixed = audit(rows, { mode: "mixed" });
    expect(mixed.plan.device.standard).toBe(1);
    expect(mixed.plan.holdings).toHaveLength(1);
    expect(mixed.plan.holdings[0].rows).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
  });
});

describe("mixed plans", () => {
  // Office workers on laptops + phones (user CALs win) and a warehouse kiosk (device CAL wins).
  const rows = [
    ["ann", "LAP-1", "EX1", "2016", "Standard"],
    ["ann", "PHONE-1", "EX1", "2016", "Standard"],
    ["bob", "LAP-2", "EX1", "2016", "Standard"],
    ["bob", "PHONE-2", "EX1", "2016", "Standard"],
    ["w1", "KIOSK", "EX1", "2016", "Standard"],
    ["w2", "KIOSK", "EX1", "2016", "Standard"],
    ["w3", "KIOSK", "EX1", "2016", "Standard"],
  ];
  test("is cheaper than either pure mode and covers every row", () => {
    const r = audit(rows);
    const byMode = Object.fromEntries(r.plans.map((p) => [p.plan.mode, p.plan]));
    expect(byMode["per-user"].user.standard).toBe(5);
    expect(byMode["per-device"].device.standard).toBe(5);
    expect(byMode["mixed"].user.standard).toBe(2);
    expect(byMode["mixed"].device.standard).toBe(1);
    expect(r.mode).toBe("mixed");
    const covered = r.plan.holdings.flatMap((h) => h.rows).sort((a, b) => a - b);
    expect(covered).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  test("prices change the answer", () => {
    const r = audit(rows, { mode: "mixed", prices: { userStandard: 10, deviceStandard: 100 } });
    // Device CALs cost 10x: give the 3 kiosk workers user CALs instead of the kiosk a device CAL.
    expect(r.plan.device.standard).toBe(0);
    expect(r.plan.user.standard).toBe(5);
    expect(r.plan.cost).toBe(50);
  });
});

describe("versions and editions", () => {
  test("a holder's CAL is the newest version it reaches", () => {
    const r = audit(
      [
        ["ann", "LAP-1", "EX1", "2013", ""],
        ["ann", "LAP-1", "EX2", "2019", ""],
      ],
      { mode: "per-user" },
    );
    expect(r.plan.requirements).toEqual([{ type: "user", edition: "standard", version: "2019", quantity: 1 }]);
  });

  test("Enterprise is additive: Standard and Enterprise counted on one holder", () => {
    const r = audit([["ann", "LAP-1", "EX1", "2016", "Enterprise"]], { mode: "per-user" });
    expect(r.plan.user).toEqual({ standard: 1, enterprise: 1 });
    expect(r.plan.cost).toBe(134);
    expect(r.plan.holdings.map((h) => h.edition)).toEqual(["standard", "enterprise"]);
  });

  test("an Enterprise row on 2003 is a warning and counts as Standard", () => {
    const r = audit([["ann", "LAP-1", "EX1", "2003", "Enterprise"]], { mode: "per-user" });
    expect(r.plan.user).toEqual({ standard: 1, enterprise: 0 });
    expect(r.problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: "Edition",
        severity: "warning",
        message: expect.stringMatching(/E2: Enterprise CALs start with Exchange 2007/),
      }),
    ]);
  });
});

describe("position against owned licences", () => {
  const owned = [
    ["Type", "Edition", "Version", "Quantity", "Unit price"],
    ["User", "Standard", "2019", 3, 80],
    ["User", "Standard", "2013", 5, 60],
    ["Device", "Standard", "2016", 2, 70],
  ];
  test("newer owned CALs cover older needs; shortfall and surplus per version", () => {
    const rows = [
      ["a", "", "", "2019", ""],
      ["b", "", "", "2019", ""],
      ["c", "", "", "2016", ""],
      ["d", "", "", "2016", ""],
      ["e", "", "", "2016", ""],
      ["f", "", "", "2013", ""],
    ];
    const r = audit(rows, { mode: "per-user", owned });
    const line = (version: string, type = "user") => r.position.lines.find((l) => l.version === version && l.type === type);
    // 2019 needs 2 from the 3 owned 2019; the 3rd 2019 covers one 2016; 2 of 2016 are short;
    // 2013 needs 1 from the 5 owned 2013, leaving 4 spare. Owned 2013 cannot cover 2016.
    expect(line("2019")).toMatchObject({ required: 2, owned: 3, shortfall: 0, surplus: 0, status: "compliant" });
    expect(line("2016")).toMatchObject({ required: 3, owned: 0, shortfall: 2, surplus: 0, status: "shortfall" });
    expect(line("2013")).toMatchObject({ required: 1, owned: 5, shortfall: 0, surplus: 4, status: "surplus" });
    expect(line("2016", "device")).toMatchObject({ required: 0, owned: 2, surplus: 2, status: "surplus" });
    expect(r.status).toBe("non-compliant");
    // No price given: the owned table's unit price for the newest user CALs (80) is used.
    expect(r.position.toBuy).toEqual([{ type: "user", edition: "standard", version: "2016", quantity: 2, unitPrice: 80, cost: 160 }]);
    expect(r.priceSources).toMatchObject({ userStandard: "owned", deviceStandard: "owned", userEnterprise: "example" });
    expect(r.pricesAreDefaults).toBe(true);
    expect(r.warnings.join(" ")).toMatch(/example prices \(Enterprise user CAL, Enterprise device CAL: 67\.00 each\)/);
    // A given price wins over the table.
    const given = audit(rows, { mode: "per-user", owned, prices: { userStandard: 90 } });
    expect(given.position.toBuy[0]).toMatchObject({ unitPrice: 90, cost: 180 });
    expect(given.priceSources.userStandard).toBe("given");
    expect(r.position.surplusValue).toBe(4 * 60 + 2 * 70);
  });

  test("auto picks the plan cheapest to buy given what is owned", () => {
    // Own 2 device CALs: per-device (2 devices) costs nothing to buy, per-user (3 users) does.
    const rows = [
      ["a", "PC1", "", "2016", ""],
      ["b", "PC1", "", "2016", ""],
      ["c", "PC2", "", "2016", ""],
    ];
    const r = audit(rows, {
      owned: [
        ["Type", "Version", "Quantity"],
        ["Device", "2016", 2],
      ],
    });
    expect(r.mode).toBe("per-device");
    expect(r.status).toBe("compliant");
    expect(r.plans.filter((p) => p.chosen)).toHaveLength(1);
  });

  test("owned Enterprise CALs count beside the Standard CALs the to-buy list adds", () => {
    // 10 Enterprise users; 10 Enterprise CALs owned, no Standard: buy the 10 Standard only.
    const rows = Array.from({ length: 10 }, (_, i) => [`u${i}`, "", "", "2016", "Enterprise"]);
    const r = audit(rows, {
      mode: "per-user",
      owned: [
        ["Type", "Edition", "Version", "Quantity"],
        ["User", "Enterprise", "2016", 10],
      ],
    });
    expect(r.position.toBuy).toEqual([{ type: "user", edition: "standard", version: "2016", quantity: 10, unitPrice: 67, cost: 670 }]);
    const ent = r.position.lines.find((l) => l.edition === "enterprise")!;
    expect(ent).toMatchObject({ required: 10, owned: 10, shortfall: 0, surplus: 0, status: "compliant" });
    expect(r.position.notes.join(" ")).not.toMatch(/cannot count/);
  });

  test("Enterprise CALs beyond the Standard CALs held after buying do not count", () => {
    // One Enterprise user: 1 Standard to buy, so 1 of the 3 owned Enterprise CALs can pair with it.
    const r = audit([["a", "", "", "2016", "Enterprise"]], {
      mode: "per-user",
      owned: [
        ["Type", "Edition", "Version", "Quantity"],
        ["User", "Enterprise", "2016", 3],
      ],
    });
    const ent = r.position.lines.find((l) => l.edition === "enterprise")!;
    expect(ent).toMatchObject({ required: 1, owned: 3, shortfall: 0, surplus: 2, status: "surplus" });
    expect(r.position.toBuy.map((t) => [t.edition, t.quantity])).toEqual([["standard", 1]]);
    expect(r.position.notes.join(" ")).toMatch(/2 owned Enterprise user CALs cannot count/);
  });
});

describe("per-server (5.5/2000)", () => {
  test("each server needs CALs for its own connecting devices", () => {
    const rows = [
      ["a", "PC1", "EX1", "2000", ""],
      ["b", "PC2", "EX1", "2000", ""],
      ["a", "PC1", "EX2", "2000", ""],
      ["c", "", "EX2", "2000", ""],
    ];
    const r = audit(rows, { mode: "per-server" });
    expect(r.plan.server.standard).toBe(4);
    expect(r.plan.requirements).toEqual([
      { type: "server", edition: "standard", version: "2000", server: "EX1", quantity: 2 },
      { type: "server", edition: "standard", version: "2000", server: "EX2", quantity: 2 },
    ]);
    // auto: per-seat needs PC1, PC2 and a CAL for c, who has no device: not possible on 2000.
    const auto = audit(rows);
    expect(auto.mode).toBe("per-server");
    expect(auto.skipped.map((s) => s.mode)).toEqual(expect.arrayContaining(["per-user", "per-device", "mixed", "per-seat"]));
  });
});

describe("input errors", () => {
  test("no header", () => {
    expect(() =>
      runAudit(
        [
          ["a", "b"],
          [1, 2],
        ],
        { sheet: "Data" },
      ),
    ).toThrow(AuditInputError);
    expect(() =>
      runAudit(
        [
          ["a", "b"],
          [1, 2],
        ],
        { sheet: "Data" },
      ),
    ).toThrow(/No inventory header found in the first 20 rows of sheet "Data"/);
  });
  test("unknown mode", () => {
    expect(() => audit([], { mode: "per-mailbox" })).toThrow(/Unknown mode "per-mailbox"/);
  });
  test("bad price", () => {
    expect(() => audit([], { prices: { userStandard: -1 } })).toThrow(/user CAL price must be a price above 0/);
  });
});

describe("the JSON report", () => {
  test("has the documented shape", () => {
    const r = audit([["ann", "LAP-1", "EX1", "2016", "Enterprise"]], { mode: "per-user" });
    const json = reportToJson(r);
    expect(json).toMatchObject({
      schema: "cals-audit/1",
      source: { sheet: "Inventory", rowsRead: 1, rowsUsed: 1, rowsRejected: 0 },
      mode: "per-user",
      plan: { user: { standard: 1, enterprise: 1 }, device: { standard: 0, enterprise: 0 }, server: { standard: 0 }, cost: 134 },
      status: "non-compliant",
      toBuy: [
        { type: "user", edition: "standard", version: "2016", quantity: 1, cost: 67 },
        { type: "user", edition: "enterprise", version: "2016", quantity: 1, cost: 67 },
      ],
    });
    expect(json.plans[0]).toMatchObject({ mode: "per-user", cost: 134, toBuyCost: 134 });
    expect(json.position[0]).toEqual({
      type: "user",
      edition: "standard",
      version: "2016",
      required: 1,
      owned: 0,
      shortfall: 1,
      surplus: 0,
      status: "shortfall",
      coveredBy: [],
    });
    expect(json.asOf).toBe(r.asOf);
    expect(json.entitlements).toEqual([]);
  });

  test("an owned line shows what covered each position line, and its use", () => {
    const r = audit([["ann", "LAP-1", "EX1", "2016", "Enterprise"]], {
      mode: "per-user",
      asOf: "2026-12-03",
      owned: [
        ["Product", "Type", "Quantity", "Purchased"],
        ["Enterprise CAL Suite", "User", 2, "2016-01-05"],
      ],
    });
    const json = reportToJson(r);
    expect(json.asOf).toBe("2026-12-03");
    expect(json.status).toBe("compliant");
    expect(json.position.map((l) => [l.edition, l.coveredBy])).toEqual([
      ["standard", [{ product: "Enterprise CAL Suite", quantity: 1 }]],
      ["enterprise", [{ product: "Enterprise CAL Suite", quantity: 1 }]],
    ]);
    expect(json.entitlements).toEqual([
      {
        row: 2,
        product: "Enterprise CAL Suite",
        type: "user",
        quantity: 2,
        reaches: { standard: "2016", enterprise: "2016" },
        why: "version-less suite (E1, E2): bought 2016-01-05, so up to 2016; not SE: needs SA active on 2026-12-03",
        used: 1,
        unused: 1,
      },
    ]);
  });
});
