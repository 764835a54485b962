import type { CalType, Edition, LicensingMode, OrgWideSettings, Reach, VersionId } from "../licensing";
import type { ColumnRole, Grid } from "../sheet";
import type { WorkerHost } from "../speed";

/** The licensing modes a plan can use (the licensing table's modes). per-seat and per-server exist for 5.5/2000 only. */
export type PlanMode = LicensingMode;
export type ModeRequest = PlanMode | "auto";

/** A row the audit could not use, or used with a caveat. `row` is the sheet row as Excel shows it. */
export interface Problem {
  sheet: string;
  row: number;
  column: string;
  message: string;
  severity: "error" | "warning";
}

/**
 * The inventory, one entry per usable access row, as parallel typed arrays: a million
 * rows as objects would cost several hundred MB and most of the time budget.
 */
export interface Inventory {
  sheet: string;
  headerRow: number; // sheet row of the header
  rowsRead: number; // non-blank data rows
  count: number; // usable access rows
  users: string[]; // display names (first spelling seen), index = user id
  devices: string[];
  servers: string[];
  row: Int32Array; // sheet row of each access
  user: Int32Array; // -1 when the row names no user
  device: Int32Array; // -1 when the row names no device
  server: Int32Array; // -1 when the row names no server
  version: Uint8Array; // index into VERSIONS
  enterprise: Uint8Array; // 1 when the access uses an Enterprise feature
  external: Uint8Array; // 1 for an external (non-employee) user
  adminOnly: Uint8Array; // 1 when the user or device only administers the server
  noCal: Uint8Array; // 1 for unauthenticated or server-to-server access
  cloudPlan: Int32Array; // index into cloudPlans, or -1
  cloudPlans: string[]; // Microsoft 365 plan names as first spelt
  problems: Problem[];
  /** Column headers found, by role, as the sheet spells them. */
  columns: Partial<Record<ColumnRole, string>>;
}

/** Prices in the user's currency. Defaults are an example (docs), never presented as fact. */
export interface Prices {
  userStandard: number;
  userEnterprise: number; // the Enterprise add-on, paid on top of the Standard CAL
  deviceStandard: number;
  deviceEnterprise: number;
  server: number; // a per-server CAL (5.5/2000)
  externalConnector: number; // one per server, for external users (2010 and earlier)
}

/** Prices as given by a face: numbers, or text as the user typed it. */
export type PriceInput = Partial<Record<keyof Prices, number | string>>;

export interface OwnedLicence {
  /** Product id in the licensing table ("exchange-cal", "core-cal-suite", "m365-e3", ...). */
  product: string;
  productName: string; // as the summary names it
  type: CalType;
  /** Exchange CAL lines: their edition; suites and plans: "enterprise" when they give Enterprise too. */
  edition: Edition;
  version?: VersionId; // Exchange CAL and External Connector lines only
  quantity: number;
  unitPrice?: number; // Exchange CAL and connector lines only (a suite's price is not a CAL price)
  server?: string; // per-server CALs belong to one server
  row: number;
  purchased?: string; // ISO dates
  saUntil?: string;
  saActive?: boolean;
  /** The newest version each right reaches on the audit date, and why (licensing/entitlements.ts). */
  reach: Reach;
}

export interface OwnedLicences {
  sheet: string;
  licences: OwnedLicence[];
  problems: Problem[];
  notes: string[]; // facts about the table as a whole, for the summary
}

/** A quantity of one kind of CAL: what is needed, owned or to buy. */
export interface CalKey {
  type: CalType;
  edition: Edition;
  version: VersionId;
  server?: string; // only for type "server"
}

export interface Requirement extends CalKey {
  quantity: number;
}

/** One line of the ledger: who holds which CAL, and which inventory rows it covers. */
export interface Holding {
  holder: "user" | "device";
  name: string; // the user, device or server as first spelt in the inventory
  type: CalType;
  edition: Edition;
  version: VersionId;
  rows: number[]; // sheet rows covered
  server?: string; // per-server CALs: the server whose connection this is
}

export interface CalCount {
  standard: number; // every holder of a Standard CAL (Enterprise holders too: E is additive)
  enterprise: number;
}

/** Holders counted by the versions their CALs must reach: what the allocation of suites and plans needs. */
export interface HolderCount {
  type: "user" | "device";
  standard: VersionId;
  enterprise?: VersionId; // absent when the holder needs no Enterprise CAL
  quantity: number;
}

export interface Plan {
  mode: PlanMode;
  user: CalCount;
  device: CalCount;
  server: { standard: number };
  connector: { standard: number }; // External Connectors (the same in every plan)
  cost: number; // every CAL in the plan at its price
  requirements: Requirement[];
  holdings: Holding[];
  /** User and device holders by (Standard, Enterprise) version; absent for per-server plans. */
  holders?: HolderCount[];
  /** How rows that two holders both cover were placed (not for per-server plans). */
  placement?: PlacementSummary;
}

export interface SearchSummary {
  cuts: number; // minimum cuts solved at other user:device price weights
  plansVisited: number; // distinct plans costed against the owned table
  exactSearch: "done" | "too many choices" | "over budget" | "not needed";
  optimal: "proven" | "best found"; // proven: no plan costs less to buy
  lowerBound: number | null; // least cost to buy any plan could reach, as far as known (money)
}

export interface PlacementSummary {
  sharedRows: number; // rows both their user's and their device's CAL cover
  contestedRows: number; // of those, rows that would raise a version on either side
  exhaustive: boolean; // the contested rows were placed by exhaustive search
  proven: boolean; // no placement of this plan's CALs costs less to buy
}

export type LineStatus = "compliant" | "shortfall" | "surplus";

export interface PositionLine extends CalKey {
  required: number;
  owned: number; // owned licences of exactly this key
  shortfall: number; // required not covered by any counting owned licence
  surplus: number; // owned of this key not needed anywhere
  status: LineStatus;
  /** What met this line's requirement: owned products and how many of each. */
  coveredBy: { product: string; quantity: number }[];
}

export interface ToBuy extends CalKey {
  quantity: number;
  unitPrice: number;
  cost: number;
}

export interface Position {
  lines: PositionLine[];
  /** The lines added up: what the summary's Total row and the pane's result card show. */
  totals: { required: number; owned: number; shortfall: number; surplus: number };
  status: "compliant" | "non-compliant";
  toBuy: ToBuy[];
  toBuyCost: number;
  surplusValue: number;
  notes: string[]; // e.g. Enterprise CALs that cannot count
  /** Each owned line: what it reaches, why, and how much of it this position used. */
  entitlements: EntitlementUse[];
  /** False when the split of Enterprise holders between suites/plans and boxed CALs was searched, not tried in full. */
  exact: boolean;
}

export interface EntitlementUse {
  row: number;
  product: string; // display name
  type: CalType;
  quantity: number;
  standard: VersionId | null; // newest version its Standard right reaches
  enterprise: VersionId | null;
  why: string;
  used: number;
  unused: number;
}

export interface PlanEvaluation {
  plan: Plan;
  position: Position;
  chosen: boolean;
  label: string; // e.g. "mixed (prices 1:2)"
}

export interface ExemptionLine {
  reason: string;
  rows: number;
  holders: number;
}

export interface AuditReport {
  auditedAt: string; // ISO time
  /** The audit date (YYYY-MM-DD): which SA and subscriptions are active, which versions were out. */
  asOf: string;
  source: { sheet: string; headerRow: number; rowsRead: number; rowsUsed: number; rowsRejected: number };
  owned: { sheet: string | null; lines: number };
  requestedMode: ModeRequest;
  mode: PlanMode;
  prices: Prices;
  plan: Plan;
  plans: PlanEvaluation[];
  position: Position;
  status: "compliant" | "non-compliant";
  problems: Problem[];
  warnings: string[];
  /** Rows that need no CAL or are licensed another way, by rule ("coverage" in the JSON). */
  exemptions: ExemptionLine[];
  /** Modes auto did not evaluate, and why (e.g. per-server needs every row on 5.5/2000). */
  skipped: { mode: PlanMode; reason: string }[];
  /** True when a user or device CAL price was neither given nor in the owned table: costs use examples. */
  pricesAreDefaults: boolean;
  /** Where each price came from: given, the owned table's unit price, or the documented example. */
  priceSources: Record<keyof Prices, "given" | "owned" | "example">;
  /** Auto only: how the cheapest plan to buy was searched for, and whether it is proven. */
  search?: SearchSummary;
}

export interface AuditOptions {
  sheet?: string; // name of the inventory sheet, for messages and the report
  firstRow?: number; // sheet row of grid[0] (1 when the grid starts at A1)
  firstColumn?: number; // 0-based sheet column of grid[i][0]
  owned?: Grid; // the owned-licences table, when there is one
  ownedSheet?: string;
  ownedFirstRow?: number; // sheet row of owned[0]
  ownedFirstColumn?: number; // 0-based sheet column of owned[i][0]
  mode?: string; // "auto" (default) or a PlanMode, forgivingly parsed
  defaultVersion?: unknown; // for rows without a version
  /** Numbers, or amounts as typed ("82,50"): the core reads both and refuses what is ambiguous. */
  prices?: PriceInput;
  now?: Date;
  /** The audit date, YYYY-MM-DD (default: today, from `now`). */
  asOf?: string;
  /** R6 organisation-wide settings that make every mailbox need an Enterprise CAL. */
  orgWide?: OrgWideSettings;
  /** Called now and then while reading rows; a host may update a progress bar. */
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
  /**
   * Starts worker threads, where the host has them (the command passes Node's): a big
   * inventory's users and devices are then numbered beside the row loop, and its mixed
   * plans solved off the main heap (workers.ts). Same report.
   */
  workers?: WorkerHost;
}
