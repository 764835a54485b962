import { LicensingError, OrgWideSettings, parseMode } from "../licensing";
import { applyExemptions, ExemptionResult } from "./exemptions";
import { AuditInputError, InventoryReading, readInventory } from "./inventory";
import { OwnedPlace, readOwned } from "./owned";
import { CoverThread, WORKER_MIN_ROWS, WorkerHost } from "../speed";
import { buildPlan, CoverSolver, PlanDraft } from "./plans";
import { minCostCover } from "../solver";
import { computePosition } from "./position";
import { BuyCost, buyCostOf } from "./buyCost";
import { readIsoDate, todayIso } from "./dates";
import { cutBudget, MixSearch, searchMixes } from "./autoSearch";
import { costOf, PriceSource, resolvePrices } from "./prices";
import { sortRequirements } from "./plans";
import type {
  AuditOptions,
  AuditReport,
  Holding,
  Inventory,
  ModeRequest,
  OwnedLicences,
  PlanEvaluation,
  PlanMode,
  PriceInput,
  Prices,
  SearchSummary,
} from "./types";
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

/** The CALs every plan weighs; the rarer prices (server, connector) are said where used. */
const MAIN_PRICES: (keyof Prices)[] = ["userStandard", "userEnterprise", "deviceStandard", "deviceEnterprise"];

function requestedMode(value: string | undefined): ModeRequest {
  if (value === undefined || value === "") return "auto";
  const mode = parseMode(value);
  if (!mode) throw new AuditInputError(`Unknown mode "${value}". Use auto, per-user, per-device, mixed, per-seat or per-server.`);
  return mode === "best" ? "auto" : mode;
}

/** The owned-licences table and where it sits, when there is one. */
interface OwnedTable {
  grid: Grid;
  place: OwnedPlace;
}

/**
 * The audit's options, read once at the entry point: each step below gets only its part.
 * The prices stay as typed until the owned table is read (its unit prices fill the gaps);
 * they are checked here all the same.
 */
interface AuditSettings {
  mode: ModeRequest;
  prices: PriceInput | undefined;
  owned: OwnedTable | undefined;
  orgWide: OrgWideSettings;
  /** The audit's time, when the caller fixed it; else the report is stamped when made. */
  now: Date | undefined;
  /** The audit date (YYYY-MM-DD): which SA and subscriptions are active, which versions were out. */
  asOf: string;
  workers: WorkerHost | undefined;
}

interface Candidate {
  mode: PlanMode;
  label: string;
  draft: PlanDraft;
}

/** The resolved prices, where each came from, and which plan prices are only examples. */
interface PriceTable {
  prices: Prices;
  sources: Record<keyof Prices, PriceSource>;
  examples: (keyof Prices)[];
}

/**
 * Grid of cell values -> audit report: inventory, every plan asked for, each plan's
 * position against what is owned, and the chosen plan's ledger. Pure: no Office, no I/O.
 */
export function runAudit(grid: Grid, options: AuditOptions = {}): AuditReport {
  // Options are checked before a row is read: a typo in a price should not cost a long read.
  const settings = auditSettings(options);
  return auditWith(readInventory(grid, inventoryReading(options)), settings);
}

/**
 * What runAudit checks before reading: the mode and the prices. Callers that read the
 * inventory themselves, row by row (InventoryStream), call this first for the same reason.
 */
export function checkAuditOptions(options: AuditOptions): void {
  auditSettings(options);
}

/** The audit of an inventory already read (by readInventory or an InventoryStream). */
export function auditInventory(read: Inventory, options: AuditOptions = {}): AuditReport {
  return auditWith(read, auditSettings(options));
}

/** What the inventory reader needs of the options: where the sheet sits, the default version, progress, threads. */
function inventoryReading(options: AuditOptions): InventoryReading {
  const { sheet, firstRow, firstColumn, defaultVersion, onProgress, workers } = options;
  return { sheet, firstRow, firstColumn, defaultVersion, onProgress, workers };
}

function auditSettings(options: AuditOptions): AuditSettings {
  const mode = requestedMode(options.mode);
  try {
    resolvePrices(options.prices);
  } catch (e) {
    if (e instanceof LicensingError) throw new AuditInputError(e.message);
    throw e;
  }
  const owned = options.owned && {
    grid: options.owned,
    place: { sheet: options.ownedSheet, firstRow: options.ownedFirstRow, firstColumn: options.ownedFirstColumn },
  };
  return { mode, prices: options.prices, owned, orgWide: options.orgWide ?? {}, now: options.now, asOf: auditDate(options), workers: options.workers };
}

/** The audit date: as given (YYYY-MM-DD), else the day of `now` (UTC). */
function auditDate(options: AuditOptions): string {
  if (options.asOf === undefined || options.asOf === "") return todayIso(options.now);
  const d = readIsoDate(options.asOf);
  if (!d) throw new AuditInputError(`The audit date "${options.asOf}" is not a date; write it as YYYY-MM-DD (for example 2026-12-03).`);
  return d;
}

function auditWith(read: Inventory, settings: AuditSettings): AuditReport {
  const { mode, workers } = settings;
  // A big inventory's mixed plans are solved on a worker when the host offers one, which
  // keeps the solver's memory out of this thread's heap (coverThread.ts). It boots now,
  // while the owned table, the exemptions and the other plans are worked out.
  const thread =
    workers && read.count >= WORKER_MIN_ROWS && (mode === "mixed" || mode === "auto")
      ? new CoverThread(workers, read.count, read.users.length, read.devices.length)
      : undefined;
  try {
    return audit(read, settings, thread ? (p) => thread.solve(p) : minCostCover);
  } finally {
    thread?.close();
  }
}

function audit(read: Inventory, settings: AuditSettings, solve: CoverSolver): AuditReport {
  const { mode } = settings;
  const owned: OwnedLicences = settings.owned
    ? readOwned(settings.owned.grid, { ...settings.owned.place, asOf: settings.asOf })
    : { sheet: "", licences: [], problems: [], notes: [] };
  const priceTable = pricesFor(settings.prices, owned);
  const { prices } = priceTable;
  const exempted = applyExemptions(read, prices, settings.orgWide);
  const inventory = exempted.inventory;

  // What is owned decides where a row two holders cover is placed when it raises a version either way.
  const buy = settings.owned ? buyCostOf(owned.licences, prices) : undefined;
  const { candidates, skipped } = candidatePlans(inventory, mode, prices, solve, buy);
  // What is owned can make another plan cheaper to reach than the cheapest to buy outright
  // (deciding that exactly is NP-complete): auto searches for it (autoSearch.ts).
  const mixed = candidates.find((c) => c.mode === "mixed");
  const search = mode === "auto" && mixed ? searchMixes(inventory, prices, solve, buy, mixed.draft, cutBudget(inventory.count)) : undefined;
  for (const p of search?.plans ?? []) candidates.push({ mode: "mixed", label: p.label, draft: p.draft });
  addConnectors(candidates, exempted.connectors, prices);

  const evaluations: PlanEvaluation[] = candidates.map((c) => ({
    plan: c.draft.plan,
    position: computePosition(c.draft.plan.requirements, owned.licences, prices, c.draft.plan.holders),
    chosen: false,
    label: c.label,
  }));
  const best = cheapestToBuy(evaluations);
  const chosen = evaluations[best];
  if (!chosen) throw new AuditInputError("No licensing mode can cover this inventory: " + skipped.map((s) => `${s.mode}: ${s.reason}`).join(" "));
  chosen.chosen = true;
  attachLedger(chosen, candidates[best].draft.holdings);
  const searchSummary = search && summariseSearch(search, evaluations, chosen);

  return {
    auditedAt: (settings.now ?? new Date()).toISOString(),
    asOf: settings.asOf,
    source: {
      sheet: inventory.sheet,
      headerRow: inventory.headerRow,
      rowsRead: inventory.rowsRead,
      rowsUsed: read.count,
      rowsRejected: read.rowsRead - read.count,
    },
    owned: { sheet: settings.owned ? owned.sheet : null, lines: owned.licences.length },
    requestedMode: mode,
    mode: chosen.plan.mode,
    prices,
    plan: chosen.plan,
    plans: evaluations,
    position: chosen.position,
    status: chosen.position.status,
    problems: [...inventory.problems, ...owned.problems],
    warnings: auditWarnings(read, exempted, owned, settings.owned !== undefined, priceTable),
    exemptions: exempted.exemptions,
    skipped,
    pricesAreDefaults: priceTable.examples.length > 0,
    priceSources: priceTable.sources,
    ...(searchSummary ? { search: searchSummary } : {}),
  };
}

/**
 * The search's lower bound covers plans of user and device CALs; the connectors every plan
 * carries are added, and a per-server plan (5.5/2000) is its own bound.
 */
function summariseSearch(search: MixSearch, evaluations: PlanEvaluation[], chosen: PlanEvaluation): SearchSummary {
  const connectorCents = chosen.position.toBuy.filter((t) => t.type === "connector").reduce((a, t) => a + Math.round(t.cost * 100), 0);
  let bound = search.lowerBound === null ? null : search.lowerBound + connectorCents;
  for (const e of evaluations) if (e.plan.mode === "per-server" && bound !== null) bound = Math.min(bound, Math.round(e.position.toBuyCost * 100));
  const proven = bound !== null && Math.round(chosen.position.toBuyCost * 100) <= bound;
  return {
    cuts: search.cuts,
    plansVisited: evaluations.length,
    exactSearch: search.exact,
    optimal: proven ? "proven" : "best found",
    lowerBound: bound === null ? null : bound / 100,
  };
}

/** The prices given, filled from the owned table's unit prices, then from the examples. */
function pricesFor(given: PriceInput | undefined, owned: OwnedLicences): PriceTable {
  const { prices, sources } = resolvePrices(given, owned.licences);
  return { prices, sources, examples: MAIN_PRICES.filter((k) => sources[k] === "example") };
}

/** A plan per mode asked for (every mode for auto); a mode that cannot cover is skipped for auto, an error otherwise. */
function candidatePlans(
  inventory: Inventory,
  mode: ModeRequest,
  prices: Prices,
  solve: CoverSolver,
  buy: BuyCost | undefined,
): { candidates: Candidate[]; skipped: AuditReport["skipped"] } {
  const candidates: Candidate[] = [];
  const skipped: AuditReport["skipped"] = [];
  for (const m of mode === "auto" ? ALL_MODES : [mode]) {
    const result = buildPlan(inventory, m, prices, undefined, solve, buy);
    if (result.ok) candidates.push({ mode: m, label: m, draft: result.draft });
    else if (mode === "auto") skipped.push({ mode: m, reason: result.reason });
    else throw new AuditInputError(`The ${m} plan cannot cover this inventory: ${result.reason}`);
  }
  return { candidates, skipped };
}

/** External Connectors do not depend on the mode: every plan carries the same ones. */
function addConnectors(candidates: Candidate[], connectorLines: ExemptionResult["connectors"], prices: Prices): void {
  const connectors = connectorLines.reduce((a, c) => a + c.quantity, 0);
  if (connectors === 0) return;
  for (const c of candidates) {
    const plan = c.draft.plan;
    plan.requirements = sortRequirements([...plan.requirements, ...connectorLines.map((r) => ({ ...r }))]);
    plan.connector = { standard: connectors };
    plan.cost = costOf([
      [plan.cost, 1],
      [connectors, prices.externalConnector],
    ]);
  }
}

/** Cheapest to buy given what is owned; ties go to the cheaper plan, then the listed order. */
function cheapestToBuy(evaluations: PlanEvaluation[]): number {
  let best = 0;
  for (let i = 1; i < evaluations.length; i++) {
    const a = evaluations[i];
    const b = evaluations[best];
    if (a.position.toBuyCost < b.position.toBuyCost || (a.position.toBuyCost === b.position.toBuyCost && a.plan.cost < b.plan.cost)) best = i;
  }
  return best;
}

/**
 * The ledger (one line per holder, with its rows) is built when first read: the sheets
 * need it, the JSON report and the pane's result card do not.
 */
function attachLedger(chosen: PlanEvaluation, buildLedger: () => Holding[]): void {
  let ledger: Holding[] | undefined;
  Object.defineProperty(chosen.plan, "holdings", {
    get: () => (ledger ??= buildLedger()),
    set: (value: Holding[]) => {
      ledger = value;
    },
    enumerable: true,
    configurable: true,
  });
}

/** The report's sentences for people: what was assumed, missing or left out. */
function auditWarnings(read: Inventory, exempted: ExemptionResult, owned: OwnedLicences, ownedGiven: boolean, priceTable: PriceTable): string[] {
  const warnings: string[] = [...exempted.warnings, ...owned.notes];
  if (!ownedGiven) warnings.push("No owned-licences table was given: every CAL required is counted as to buy.");
  else if (owned.licences.length === 0) {
    warnings.push(`The owned-licences table "${owned.sheet}" gave no usable licence lines (see its problems): every CAL required is counted as to buy.`);
  }
  if (read.count === 0) warnings.push(`No usable access rows in sheet "${exempted.inventory.sheet}": nothing needs a CAL.`);
  else if (exempted.inventory.count === 0) warnings.push("Every row is exempt or covered elsewhere: no CAL is needed.");
  const { examples, prices } = priceTable;
  if (examples.length > 0) {
    warnings.push(
      `Costs use example prices (${examples.map((k) => PRICE_LABELS[k]).join(", ")}: ${prices[examples[0]].toFixed(2)} each); enter your own prices for real figures.`,
    );
  }
  return warnings;
}
