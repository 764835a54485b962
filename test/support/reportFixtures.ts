/**
 * A hand-built AuditReport for tests of the layouts and the writers: small, realistic and
 * internally consistent. Every call returns a fresh object, so a test may change it freely.
 *
 * The story: inventory sheet "Access" (header row 1, rows 2-17). Four named users, three
 * kiosk users on one shared device (KIOSK-01), Ann uses Enterprise features, one user has a
 * name that looks like a formula. Rows 16-17 are a Microsoft 365 E3 user (covered elsewhere),
 * row 15 is rejected. Owned: 2 user Standard, 1 user Enterprise, 3 device Standard (2019).
 * Auto mode compares per user, per device and mixed; mixed is cheapest to buy.
 *
 *   line                        required  owned  shortfall  surplus  status
 *   User  Standard   2019            4      2         2        0   shortfall
 *   User  Enterprise 2019            1      1         0        0   compliant
 *   Device Standard  2019            1      3         0        2   surplus
 *
 * To buy: 2 user Standard 2019 CALs at 80.00 = 160.00. Surplus value: 2 x 80.00 = 160.00.
 */
import type { AuditReport, Holding, PlanEvaluation, Position, Prices, Requirement } from "../../src/audit";
import { positionTotals } from "../../src/audit";

/** A holder name an attacker or a careless export could produce: must stay literal text. */
export const INJECTION_NAME = '=HYPERLINK("http://x")';

export const SAMPLE_PRICES: Prices = {
  userStandard: 80,
  userEnterprise: 45,
  deviceStandard: 80,
  deviceEnterprise: 45,
  server: 67,
  externalConnector: 2000,
};

function holdings(): Holding[] {
  return [
    { holder: "user", name: "bob smith", type: "user", edition: "standard", version: "2019", rows: [6, 7] },
    { holder: "device", name: "KIOSK-01", type: "device", edition: "standard", version: "2019", rows: [9, 10, 11] },
    { holder: "user", name: "Ann Lee", type: "user", edition: "enterprise", version: "2019", rows: [2, 3] },
    { holder: "user", name: INJECTION_NAME, type: "user", edition: "standard", version: "2019", rows: [14] },
    { holder: "user", name: "Bob Adams", type: "user", edition: "standard", version: "2019", rows: [8, 12, 13] },
    { holder: "user", name: "Ann Lee", type: "user", edition: "standard", version: "2019", rows: [2, 3, 4, 5] },
  ];
}

function req(type: Requirement["type"], edition: Requirement["edition"], quantity: number): Requirement {
  return { type, edition, version: "2019", quantity };
}

/** A position as the engine gives it: its totals are its lines added up. */
function withTotals(p: Omit<Position, "totals" | "entitlements" | "exact"> & Partial<Pick<Position, "entitlements" | "exact">>): Position {
  return { entitlements: [], exact: true, ...p, totals: positionTotals(p.lines) };
}

function mixedPosition(): Position {
  return withTotals({
    lines: [
      { type: "user", edition: "standard", version: "2019", required: 4, owned: 2, shortfall: 2, surplus: 0, status: "shortfall", coveredBy: [] },
      { type: "user", edition: "enterprise", version: "2019", required: 1, owned: 1, shortfall: 0, surplus: 0, status: "compliant", coveredBy: [] },
      { type: "device", edition: "standard", version: "2019", required: 1, owned: 3, shortfall: 0, surplus: 2, status: "surplus", coveredBy: [] },
    ],
    status: "non-compliant",
    toBuy: [{ type: "user", edition: "standard", version: "2019", quantity: 2, unitPrice: 80, cost: 160 }],
    toBuyCost: 160,
    surplusValue: 160,
    notes: ["Enterprise CALs count only beside a Standard CAL of the same holder (R4)."],
  });
}

export function sampleReport(): AuditReport {
  const mixed = {
    mode: "mixed" as const,
    user: { standard: 4, enterprise: 1 },
    device: { standard: 1, enterprise: 0 },
    server: { standard: 0 },
    connector: { standard: 0 },
    cost: 445,
    requirements: [req("user", "standard", 4), req("user", "enterprise", 1), req("device", "standard", 1)],
    holdings: holdings(),
  };
  const position = mixedPosition();

  const perUser: PlanEvaluation = {
    label: "per user",
    chosen: false,
    plan: {
      mode: "per-user",
      user: { standard: 7, enterprise: 1 },
      device: { standard: 0, enterprise: 0 },
      server: { standard: 0 },
      connector: { standard: 0 },
      cost: 605,
      requirements: [req("user", "standard", 7), req("user", "enterprise", 1)],
      holdings: [],
    },
    position: withTotals({
      lines: [
        { type: "user", edition: "standard", version: "2019", required: 7, owned: 2, shortfall: 5, surplus: 0, status: "shortfall", coveredBy: [] },
        { type: "user", edition: "enterprise", version: "2019", required: 1, owned: 1, shortfall: 0, surplus: 0, status: "compliant", coveredBy: [] },
        { type: "device", edition: "standard", version: "2019", required: 0, owned: 3, shortfall: 0, surplus: 3, status: "surplus", coveredBy: [] },
      ],
      status: "non-compliant",
      toBuy: [{ type: "user", edition: "standard", version: "2019", quantity: 5, unitPrice: 80, cost: 400 }],
      toBuyCost: 400,
      surplusValue: 240,
      notes: [],
    }),
  };
  const perDevice: PlanEvaluation = {
    label: "per device",
    chosen: false,
    plan: {
      mode: "per-device",
      user: { standard: 0, enterprise: 0 },
      device: { standard: 7, enterprise: 1 },
      server: { standard: 0 },
      connector: { standard: 0 },
      cost: 605,
      requirements: [req("device", "standard", 7), req("device", "enterprise", 1)],
      holdings: [],
    },
    position: withTotals({
      lines: [
        { type: "user", edition: "standard", version: "2019", required: 0, owned: 2, shortfall: 0, surplus: 2, status: "surplus", coveredBy: [] },
        { type: "user", edition: "enterprise", version: "2019", required: 0, owned: 1, shortfall: 0, surplus: 1, status: "surplus", coveredBy: [] },
        { type: "device", edition: "standard", version: "2019", required: 7, owned: 3, shortfall: 4, surplus: 0, status: "shortfall", coveredBy: [] },
        { type: "device", edition: "enterprise", version: "2019", required: 1, owned: 0, shortfall: 1, surplus: 0, status: "shortfall", coveredBy: [] },
      ],
      status: "non-compliant",
      toBuy: [
        { type: "device", edition: "standard", version: "2019", quantity: 4, unitPrice: 80, cost: 320 },
        { type: "device", edition: "enterprise", version: "2019", quantity: 1, unitPrice: 45, cost: 45 },
      ],
      toBuyCost: 365,
      surplusValue: 205,
      notes: [],
    }),
  };
  const mixedEval: PlanEvaluation = { label: "mixed (lowest cost)", chosen: true, plan: mixed, position };

  return {
    auditedAt: "2026-11-27T21:40:12.000Z",
    asOf: "2026-11-27",
    source: { sheet: "Access", headerRow: 1, rowsRead: 16, rowsUsed: 15, rowsRejected: 1 },
    owned: { sheet: "Owned", lines: 3 },
    requestedMode: "auto",
    mode: "mixed",
    prices: { ...SAMPLE_PRICES },
    pricesAreDefaults: true,
    priceSources: {
      userStandard: "example",
      userEnterprise: "example",
      deviceStandard: "example",
      deviceEnterprise: "example",
      server: "example",
      externalConnector: "example",
    },
    plan: mixed,
    plans: [perUser, perDevice, mixedEval],
    position,
    status: "non-compliant",
    problems: [
      {
        sheet: "Access",
        row: 7,
        column: "User",
        message: '"Bob Smith" and "bob smith" were taken as one user',
        severity: "warning",
      },
      {
        sheet: "Access",
        row: 15,
        column: "Version",
        message: '"Exchange 2000" with a user CAL: Exchange 2000 had no user CAL (per-seat CALs were per device, R2)',
        severity: "error",
      },
    ],
    warnings: [
      'Journal rule "All mail" has no recipient scope: if it journals the whole organisation, every mailbox needs an Enterprise CAL (R6). Check it before relying on these counts.',
    ],
    exemptions: [{ reason: "Microsoft 365 E3/E5 user: covered by dual-use rights (R10)", rows: 2, holders: 1 }],
    skipped: [
      { mode: "per-seat", reason: "for Exchange 5.5 and 2000 servers only" },
      { mode: "per-server", reason: "for Exchange 5.5 and 2000 servers only" },
    ],
  };
}

/** The sample with the shortfall bought: every line compliant or surplus, nothing to buy. */
export function compliantSampleReport(): AuditReport {
  const report = sampleReport();
  const line = report.position.lines[0];
  line.owned = line.required;
  line.shortfall = 0;
  line.status = "compliant";
  report.position.totals = positionTotals(report.position.lines);
  report.position.toBuy = [];
  report.position.toBuyCost = 0;
  report.position.status = "compliant";
  report.status = "compliant";
  const chosen = report.plans.find((p) => p.chosen)!;
  chosen.position = report.position;
  return report;
}
