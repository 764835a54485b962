import { runAudit, reportToJson } from ".";
import { cloudPlan } from "../licensing";
import type { Grid } from "../sheet";

const H = ["User", "Device", "Server", "Version", "Edition", "External", "Admin only", "Covered by", "Access"];
type Row = {
  user?: string;
  device?: string;
  server?: string;
  version: string;
  edition?: string;
  external?: string;
  admin?: string;
  cloud?: string;
  access?: string;
};
const grid = (rows: Row[]): Grid => [
  H,
  ...rows.map((r) => [
    r.user ?? "",
    r.device ?? "",
    r.server ?? "EX1",
    r.version,
    r.edition ?? "Standard",
    r.external ?? "",
    r.admin ?? "",
    r.cloud ?? "",
    r.access ?? "Outlook",
  ]),
];
const audit = (rows: Row[], options: Parameters<typeof runAudit>[1] = {}) => runAudit(grid(rows), { mode: "per-user", ...options });
const reasons = (r: ReturnType<typeof audit>) => r.exemptions.map((c) => [c.reason.replace(/ \(R\d+a?\)$/, ""), c.rows, c.holders]);

describe("external users (R9)", () => {
  const ext = (version: string, edition = "Standard", user = "guest1", server = "EX1"): Row => ({
    user,
    device: "",
    server,
    version,
    edition,
    external: "yes",
  });

  test("2013 to 2019: no CAL for standard features", () => {
    for (const v of ["2013", "2016", "2019"]) {
      const r = audit([ext(v), { user: "ann", version: v }]);
      expect(r.plan.user.standard).toBe(1);
      expect(reasons(r)).toEqual([["External user licensed with the server (Exchange 2013 and later, standard features)", 1, 1]]);
    }
  });

  test("2010 and earlier: CALs while they cost less than an External Connector", () => {
    const r = audit([ext("2010", "Standard", "g1"), ext("2010", "Standard", "g2")]);
    expect(r.plan.user.standard).toBe(2);
    expect(r.exemptions).toEqual([]);
    expect(r.warnings.join("\n")).toMatch(/EX1: CALs for its 2 external users cost less than an External Connector \(50000\.00\)/);
  });

  test("2010: one connector per server when it is cheaper", () => {
    const rows = [
      ext("2010", "Standard", "g1", "EX1"),
      ext("2010", "Standard", "g2", "EX1"),
      ext("2010", "Standard", "g3", "EX2"),
      { user: "ann", server: "EX1", version: "2010" },
    ];
    const r = audit(rows, { prices: { externalConnector: 100, userStandard: 67 } });
    // EX1: 2 guests cost 134 > 100: a connector. EX2: 1 guest costs 67 < 100: a CAL.
    expect(r.plan.user.standard).toBe(2); // ann and g3
    expect(r.plan.connector.standard).toBe(1);
    expect(r.plan.cost).toBe(2 * 67 + 100);
    expect(reasons(r)).toEqual([["External user covered by an External Connector licence on the server (Exchange 2010 and earlier): EX1", 2, 2]]);
    expect(r.position.toBuy).toContainEqual({ type: "connector", edition: "standard", version: "2010", quantity: 1, unitPrice: 100, cost: 100 });
    expect(reportToJson(r).plan.connector).toEqual({ standard: 1 });
  });

  test("2010: one CAL covers an external user on every server, so connectors are weighed across servers", () => {
    // 800 partners, each on 3 servers: 800 CALs (53,600) beat 3 connectors (150,000).
    const rows: Row[] = [];
    for (let u = 0; u < 800; u++) for (const s of ["EX1", "EX2", "EX3"]) rows.push(ext("2010", "Standard", `p${u}`, s));
    const r = audit(rows);
    expect(r.plan.connector.standard).toBe(0);
    expect(r.plan.user.standard).toBe(800);
    // At 15,000 a connector, 3 connectors (45,000) beat 800 CALs (53,600).
    const cheap = audit(rows, { prices: { externalConnector: 15000 } });
    expect(cheap.plan.connector.standard).toBe(3);
    expect(cheap.plan.user.standard).toBe(0);
    expect(cheap.plan.cost).toBe(45000);
  });

  test("2010: a partner who needs a CAL for other rows is not a reason to buy a connector", () => {
    const rows = [ext("2010", "Standard", "g1", "EX1"), { user: "g1", server: "EX2", version: "2010" }, ext("2010", "Standard", "g2", "EX1")];
    // g1 holds a CAL anyway; only g2 is weighed: 67 < 100, so no connector.
    const r = audit(rows, { prices: { externalConnector: 100 } });
    expect(r.plan.connector.standard).toBe(0);
    expect(r.plan.user.standard).toBe(2);
  });

  test("SE: licensed with the server, but Enterprise features need Standard and Enterprise CALs", () => {
    const r = audit([ext("SE", "Standard", "g1"), ext("SE", "Enterprise", "g2")]);
    expect(r.plan.user).toEqual({ standard: 1, enterprise: 1 });
    expect(r.plan.holdings.map((h) => h.name)).toEqual(["g2", "g2"]);
    expect(reasons(r)).toEqual([["External user licensed with the server (Exchange 2013 and later, standard features)", 1, 1]]);
    expect(r.warnings.join("\n")).toMatch(/1 external-user row use Enterprise features/);
  });

  test("owned External Connectors count against the connectors needed", () => {
    const rows = [ext("2010", "Standard", "g1"), ext("2010", "Standard", "g2")];
    const r = audit(rows, {
      prices: { externalConnector: 100 },
      owned: [
        ["Type", "Version", "Quantity"],
        ["External Connector", "2010", 1],
      ],
    });
    const line = r.position.lines.find((l) => l.type === "connector")!;
    expect(line).toMatchObject({ required: 1, owned: 1, shortfall: 0, status: "compliant" });
  });
});

describe("admins (R1a)", () => {
  const admin = (user: string, server = "EX1"): Row => ({ user, device: "", server, version: "2016", admin: "yes" });
  test("2 admin-only users per server need no CAL", () => {
    const r = audit([admin("root1"), admin("root2"), { user: "ann", version: "2016" }]);
    expect(r.plan.user.standard).toBe(1);
    expect(reasons(r)).toEqual([["Administers the server only (up to 2 users or devices per server need no CAL)", 2, 2]]);
    expect(r.warnings.filter((w) => /admin-only/.test(w))).toEqual([]);
  });
  test("the 3rd counts, with a warning that names it", () => {
    const r = audit([admin("root1"), admin("root2"), admin("root3"), admin("root4", "EX2")]);
    expect(r.plan.holdings.map((h) => h.name)).toEqual(["root3"]);
    expect(r.warnings).toContainEqual("EX1 has 3 admin-only users or devices; only 2 need no CAL (R1a), so these still need CALs: root3.");
    expect(reasons(r)).toEqual([["Administers the server only (up to 2 users or devices per server need no CAL)", 3, 3]]);
  });
});

describe("admins (R1a): only holders that do nothing else on that server", () => {
  test("an admin who also uses the server as a user takes no slot", () => {
    const rows: Row[] = [
      { user: "boss", version: "2016", admin: "yes" },
      { user: "boss", device: "LAP", version: "2016" },
      { user: "root1", version: "2016", admin: "yes" },
      { user: "root2", version: "2016", admin: "yes" },
      { user: "root3", server: "", version: "2016", admin: "yes" },
    ];
    const r = audit(rows);
    // boss needs a CAL anyway; root1 and root2 fill the 2 slots; root3 names no server.
    expect(r.plan.holdings.map((h) => h.name).sort()).toEqual(["boss", "root3"]);
    expect(r.warnings.join(" ")).toMatch(/1 admin-only row name no server/);
  });
});

describe("Microsoft 365 dual use (R10)", () => {
  test("E3/E5 users are covered on every row; Business plans warn and still count", () => {
    const r = audit([
      { user: "ann", device: "LAP1", version: "2019", cloud: "Microsoft 365 E5" },
      { user: "ann", device: "PHONE1", version: "2019", edition: "Enterprise" },
      { user: "bob", device: "LAP2", version: "2019", cloud: "Microsoft 365 Business Premium" },
      { user: "cat", device: "LAP3", version: "2019", cloud: "Office 365 E3" },
    ]);
    expect(r.plan.holdings.map((h) => h.name)).toEqual(["bob"]);
    expect(reasons(r)).toEqual([["Covered by a Microsoft 365 / Office 365 E3 or E5 subscription (dual use rights)", 3, 2]]);
    expect(r.warnings.join("\n")).toMatch(/1 user name "Microsoft 365 Business Premium" \(Microsoft 365 Business\).*still need CALs/);
  });
});

describe("unauthenticated and server-to-server access (R1a)", () => {
  test("needs no CAL and is listed", () => {
    const r = audit([
      { user: "", device: "RELAY01", version: "2016", access: "Anonymous" },
      { user: "svc-crm", device: "CRM01", version: "2016", access: "server-to-server" },
      { user: "ann", device: "LAP1", version: "2016" },
    ]);
    expect(r.plan.user.standard).toBe(1);
    expect(reasons(r)).toEqual([["Unauthenticated or server-to-server access needs no CAL", 2, 2]]);
  });
});

describe("org-wide Enterprise triggers (R6)", () => {
  test("a whole-organisation journal rule makes every mailbox Enterprise, and says why", () => {
    const rows: Row[] = [
      { user: "ann", version: "2016" },
      { user: "bob", version: "2016" },
    ];
    const r = audit(rows, { orgWide: { journalWholeOrg: true } });
    expect(r.plan.user).toEqual({ standard: 2, enterprise: 2 });
    expect(r.warnings.join("\n")).toMatch(/because of a journal rule for the whole organisation \(R6\): 2 rows raised/);
  });
  test("rights-protection rules apply to 2010 only; anti-spam to 2007/2010", () => {
    const rows: Row[] = [
      { user: "ann", version: "2010" },
      { user: "bob", version: "2013" },
      { user: "cat", version: "2007" },
    ];
    expect(audit(rows, { orgWide: { rightsProtectionRules: true } }).plan.user.enterprise).toBe(1);
    expect(audit(rows, { orgWide: { advancedAntiSpam: true } }).plan.user.enterprise).toBe(2);
  });
});

describe("mixed plans where exemptions remove edges", () => {
  test("an exempt kiosk user no longer forces a CAL", () => {
    // Without exemptions: kiosk K shared by w1, w2 (device CAL wins) and ann on K and her laptop.
    const rows: Row[] = [
      { user: "w1", device: "K", version: "2016", cloud: "Microsoft 365 E3" },
      { user: "w2", device: "K", version: "2016", cloud: "Microsoft 365 E3" },
      { user: "ann", device: "K", version: "2016" },
      { user: "ann", device: "LAP", version: "2016" },
    ];
    const r = audit(rows, { mode: "mixed" });
    // w1 and w2 are covered by their plans; only ann needs one user CAL.
    expect(r.plan.user.standard + r.plan.device.standard).toBe(1);
    expect(r.plan.holdings.map((h) => h.name)).toEqual(["ann"]);
  });
});

describe("SE subscriptions on owned CALs (R8)", () => {
  const rows: Row[] = [{ user: "ann", version: "SE" }];
  test("lapsed SE CALs do not count for SE and are flagged (E6)", () => {
    const r = audit(rows, {
      owned: [
        ["Type", "Version", "Quantity", "Subscription or SA active"],
        ["User", "SE", 5, "no"],
      ],
    });
    // Owned, but not counting toward an SE server: the line shows both.
    expect(r.position.lines[0]).toMatchObject({ required: 1, owned: 5, shortfall: 1, coveredBy: [] });
    expect(r.warnings.join("\n")).toMatch(
      /D2: 5 Exchange Server Subscription Edition Standard CAL: an SE CAL without active SA or subscription is counted for 2019 and older only/,
    );
    expect(r.position.entitlements[0]).toMatchObject({ standard: "2019", used: 0, unused: 5 });
  });
  test("active ones count; without the column they count with a note", () => {
    const active = audit(rows, {
      owned: [
        ["Type", "Version", "Quantity", "SA active"],
        ["User", "SE", 5, "yes"],
      ],
    });
    expect(active.status).toBe("compliant");
    const unknown = audit(rows, {
      owned: [
        ["Type", "Version", "Quantity"],
        ["User", "SE", 5],
      ],
    });
    expect(unknown.status).toBe("compliant");
    expect(unknown.warnings.join("\n")).toMatch(/5 owned Subscription Edition CALs were counted as active/);
  });
});

describe("inventories without the new columns", () => {
  test("nothing changes", () => {
    const plain: Grid = [
      ["User", "Device", "Version"],
      ["ann", "LAP", "2016"],
      ["bob", "K", "2016"],
      ["cat", "K", "2016"],
    ];
    const r = runAudit(plain, { mode: "mixed" });
    expect(r.exemptions).toEqual([]);
    expect(r.plan.user.standard + r.plan.device.standard).toBe(2);
    expect(r.warnings.filter((w) => /R\d/.test(w))).toEqual([]);
  });
});

describe("cloud plan names (R10)", () => {
  test.each([
    ["Microsoft 365 E3", true],
    ["Office 365 E5 (no Teams)", true],
    ["M365 E5", true],
    ["Microsoft 365 E5 Security", false],
    ["Microsoft 365 E5 Compliance", false],
    ["Microsoft 365 Business Premium", false],
    ["Microsoft 365 F3", false],
    ["Exchange Online (Plan 2)", false],
  ])("%s qualifies: %p", (name, qualifies) => {
    expect(cloudPlan(name)?.qualifies).toBe(qualifies);
  });
});
