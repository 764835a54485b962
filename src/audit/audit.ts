import { LicensingError, parseMode } from "../licensing";
import { applyCoverage } from "./coverage";
import { AuditInputError, readInventory } from "./inventory";
import { readOwned } from "./owned";
import { CoverThread } from "../speed";
import { buildPlan, CoverSolver, PlanDraft } from "./plans";
import { minCostCover } from "../solver";
import { WORKER_MIN_ROWS } from "../speed";
import { computePosition } from "./position";
import { coverPrices, money, resolvePrices } from "./prices";
import { sortRequirements } from "./plans";
import type { AuditOptions, AuditReport, Holding, Inventory, ModeRequest, OwnedLicences, PlanEvaluation, PlanMode, Prices } from "./types";
import type { Grid } from "../sheet";

const ALL_MODES: PlanMode[] = ["per-user", "per-device", "mixed", "per-seat", "per-server"];

const PRICE_LABELS: Record<keyof Prices, string> = {
  userStandard: "user CAL",
  userEnterprise: "Enterprise user CAL",
  deviceStandard: "device CAL",
  deviceEnterprise: "Enterprise device CAL",
  server: "per-server CAL",
  externalConnector: "External Connector",
};

function requestedMode(value: string | undefined): ModeRequest {
  if (value === undefined || value === "") return "auto";
  const mode = parseMode(value);
  if (!mode) throw new AuditInputError(`Unknown mode "${value}". Use auto, per-user, per-device, mixed, per-seat or per-server.`);
  return mode === "best" ? "auto" : mode;
}

interface Candidate {
  mode: PlanMode;
  label: string;
  draft: PlanDraft;
}

/**
 * Grid of cell values -> audit report: inventory, every plan asked for, each plan's
 * position against what is owned, and the chosen plan's ledger. Pure: no Office, no I/O.
 */
export function runAudit(grid: Grid, options: AuditOptions = {}): AuditReport {
  // Options are checked before a row is read: a typo in a price should not cost a long read.
  checkAuditOptions(options);
  return auditInventory(readInventory(grid, options), options);
}

/**
 * What runAudit checks before reading: the mode and the prices. Callers that read the
 * inventory themselves, row by row (InventoryStream), call this first for the same reason.
 */
export function checkAuditOptions(options: AuditOptions): void {
  requestedMode(options.mode);
  try {
    resolvePrices(options.prices);
  } catch (e) {
    if (e instanceof LicensingError) throw new AuditInputError(e.message);
    throw e;
  }
}

/** The audit of an inventory already read (by readInventory or an InventoryStream). */
export function auditInventory(read: Inventory, options: AuditOptions = {}): AuditReport {
  checkAuditOptions(options);
  const mode = requestedMode(options.mode);
  // A big inventory's mixed plans are solved on a worker when the host offers one, which
  // keeps the solver's memory out of this thread's heap (coverThread.ts). It boots now,
  // while the owned table, coverage and the other plans are worked out.
  const host = options.workers;
  const thread =
    host && read.count >= WORKER_MIN_ROWS && (mode === "mixed" || mode === "auto")
      ? new CoverThread(host, read.count, read.users.length, read.devices.length)
      : undefined;
  try {
    return audit(read, options, mode, thread ? (p) => thread.solve(p) : minCostCover);
  } finally {
    thread?.close();
  }
}

function audit(read: Inventory, options: AuditOptions, mode: ModeRequest, solve: CoverSolver): AuditReport {
  const owned: OwnedLicences = options.owned
    ? readOwned(options.owned, { sheet: options.ownedSheet, firstRow: options.ownedFirstRow, firstColumn: options.ownedFirstColumn })
    : { sheet: "", licences: [], problems: [], notes: [] };
  const { prices, sources: priceSources } = resolvePrices(options.prices, owned.licences);
  // The CALs every plan weighs; the rarer prices (server, connector) are said where used.
  const main: (keyof Prices)[] = ["userStandard", "userEnterprise", "deviceStandard", "deviceEnterprise"];
  const examples = main.filter((k) => priceSources[k] === "example");
  const pricesAreDefaults = examples.length > 0;

  const covered = applyCoverage(read, prices, options.orgWide);
  const inventory = covered.inventory;

  const candidates: Candidate[] = [];
  const skipped: AuditReport["skipped"] = [];
  for (const m of mode === "auto" ? ALL_MODES : [mode]) {
    const result = buildPlan(inventory, m, prices, undefined, solve);
    if (result.ok) candidates.push({ mode: m, label: m, draft: result.draft });
    else if (mode === "auto") skipped.push({ mode: m, reason: result.reason });
    else throw new AuditInputError(`The ${m} plan cannot cover this inventory: ${result.reason}`);
  }
  // What is owned can make another mix cheaper to reach than the cheapest mix to buy
  // outright (deciding that exactly is NP-complete), so auto also tries weighted mixes.
  if (mode === "auto" && options.owned && candidates.some((c) => c.mode === "mixed")) {
    for (const [label, userWeight, deviceWeight] of [
      ["mixed, favouring device CALs", 2, 1],
      ["mixed, favouring user CALs", 1, 2],
    ] as const) {
      const weighted = coverPrices(prices);
      weighted.userStandard *= userWeight;
      weighted.userEnterprise *= userWeight;
      weighted.deviceStandard *= deviceWeight;
      weighted.deviceEnterprise *= deviceWeight;
      const result = buildPlan(inventory, "mixed", prices, weighted, solve);
      if (result.ok && !candidates.some((c) => samePlan(c.draft, result.draft))) {
        candidates.push({ mode: "mixed", label, draft: result.draft });
      }
    }
  }

  // External Connectors do not depend on the mode: every plan carries the same ones.
  const connectors = covered.connectors.reduce((a, c) => a + c.quantity, 0);
  for (const c of candidates) {
    if (connectors === 0) break;
    const plan = c.draft.plan;
    plan.requirements = sortRequirements([...plan.requirements, ...covered.connectors.map((r) => ({ ...r }))]);
    plan.connector = { standard: connectors };
    plan.cost = money([
      [plan.cost, 1],
      [connectors, prices.externalConnector],
    ]);
  }

  const evaluations: PlanEvaluation[] = candidates.map((c) => ({
    plan: c.draft.plan,
    position: computePosition(c.draft.plan.requirements, owned.licences, prices),
    chosen: false,
    label: c.label,
  }));
  // Cheapest to buy given what is owned; ties go to the cheaper plan, then the listed order.
  let best = 0;
  for (let i = 1; i < evaluations.length; i++) {
    const a = evaluations[i];
    const b = evaluations[best];
    if (a.position.toBuyCost < b.position.toBuyCost || (a.position.toBuyCost === b.position.toBuyCost && a.plan.cost < b.plan.cost)) best = i;
  }
  const chosen = evaluations[best];
  if (!chosen) throw new AuditInputError("No licensing mode can cover this inventory: " + skipped.map((s) => `${s.mode}: ${s.reason}`).join(" "));
  chosen.chosen = true;
  // The ledger (one line per holder, with its rows) is built when first read: the sheets
  // need it, the JSON report and the pane's result card do not.
  const buildLedger = candidates[best].draft.holdings;
  let ledger: Holding[] | undefined;
  Object.defineProperty(chosen.plan, "holdings", {
    get: () => (ledger ??= buildLedger()),
    set: (value: Holding[]) => {
      ledger = value;
    },
    enumerable: true,
    configurable: true,
  });

  const warnings: string[] = [...covered.warnings, ...owned.notes];
  if (!options.owned) warnings.push("No owned-licences table was given: every CAL required is counted as to buy.");
  else if (owned.licences.length === 0) {
    warnings.push(`The owned-licences table "${owned.sheet}" gave no usable licence lines (see its problems): every CAL required is counted as to buy.`);
  }
  if (read.count === 0) warnings.push(`No usable access rows in sheet "${inventory.sheet}": nothing needs a CAL.`);
  else if (inventory.count === 0) warnings.push("Every row is exempt or covered elsewhere: no CAL is needed.");
  if (pricesAreDefaults) {
    warnings.push(
      `Costs use example prices (${examples.map((k) => PRICE_LABELS[k]).join(", ")}: ${prices[examples[0]].toFixed(2)} each); enter your own prices for real figures.`,
    );
  }

  return {
    auditedAt: (options.now ?? new Date()).toISOString(),
    source: {
      sheet: inventory.sheet,
      headerRow: inventory.headerRow,
      rowsRead: inventory.rowsRead,
      rowsUsed: read.count,
      rowsRejected: read.rowsRead - read.count,
    },
    owned: { sheet: options.owned ? owned.sheet : null, lines: owned.licences.length },
    requestedMode: mode,
    mode: chosen.plan.mode,
    prices,
    plan: chosen.plan,
    plans: evaluations,
    position: chosen.position,
    status: chosen.position.status,
    problems: [...inventory.problems, ...owned.problems],
    warnings,
    coverage: covered.coverage,
    skipped,
    pricesAreDefaults,
    priceSources,
  };
}

function samePlan(a: PlanDraft, b: PlanDraft): boolean {
  return JSON.stringify(a.plan.requirements) === JSON.stringify(b.plan.requirements);
}
