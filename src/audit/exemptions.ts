import {
  ADMIN_EXEMPT_PER_SERVER,
  ENTERPRISE_FROM,
  EXEMPTION_RULES,
  ExemptionRule,
  ORG_WIDE_TRIGGERS,
  OrgWideSettings,
  VERSIONS,
  cloudPlan,
  versionIndex,
} from "../licensing";
import { minCostCover } from "../solver";
import { cents } from "./prices";
import type { ExemptionLine, Inventory, Prices, Requirement } from "./types";

/** The inventory left once the exemption rules have run, and what they found. */
export interface ExemptionResult {
  inventory: Inventory; // the rows that still need CALs
  exemptions: ExemptionLine[];
  warnings: string[];
  connectors: Requirement[]; // External Connector licences, one per server that takes one
}

const NONE = -1;
const ENTERPRISE_FROM_INDEX = versionIndex(ENTERPRISE_FROM);
/** The rules in the order they are applied and listed. */
const ORDER: ExemptionRule["id"][] = ["unauthenticated", "cloud", "admin", "external-with-server", "external-connector"];

/** A holder key for counting: the user, or the device where no user is recorded. */
function holderKey(inv: Inventory, i: number): number {
  return inv.user[i] >= 0 ? inv.user[i] : inv.users.length + inv.device[i];
}

function holderName(inv: Inventory, key: number): string {
  return key < inv.users.length ? inv.users[key] : inv.devices[key - inv.users.length];
}

function serverName(inv: Inventory, s: number): string {
  return s >= 0 ? inv.servers[s] : "(no server)";
}

/** The rule each row is exempt by (an index into ORDER, or NONE), and how many rows each rule marked. */
class RowMarks {
  readonly by: Int8Array;
  // Rows marked per rule, so the counting skips rules that marked none (usually all).
  readonly marked = new Int32Array(ORDER.length);

  constructor(rows: number) {
    this.by = new Int8Array(rows).fill(NONE);
  }

  mark(i: number, id: ExemptionRule["id"]): void {
    if (this.by[i] !== NONE) this.marked[this.by[i]]--;
    this.by[i] = ORDER.indexOf(id);
    this.marked[this.by[i]]++;
  }
}

/** What the rules share: the inventory, the marks so far, each row's edition (R6 may raise it), the warnings. */
interface RuleState {
  inv: Inventory;
  marks: RowMarks;
  enterprise: Uint8Array;
  warnings: string[];
}

/** A server that takes an External Connector (R9), with its newest version's index. */
interface ConnectorServer {
  server: string;
  version: number;
}

/**
 * Rows that need no CAL or are licensed another way (R1a, R6, R9, R10), taken out before
 * any plan is built, so every plan and every number agrees; each exemption is counted for
 * the summary's "Exempt and covered elsewhere" section. The rules run in this order: a row
 * exempt by an earlier rule is not looked at by a later one.
 */
export function applyExemptions(inv: Inventory, prices: Prices, orgWide: OrgWideSettings = {}): ExemptionResult {
  const state: RuleState = { inv, marks: new RowMarks(inv.count), enterprise: inv.enterprise.slice(), warnings: [] };
  exemptUnauthenticated(state);
  exemptCloudUsers(state);
  exemptAdmins(state);
  const raisedRows = raiseOrgWide(state, orgWide);
  const connectorServers = exemptExternalUsers(state, prices);
  const { marks, enterprise, warnings } = state;
  return {
    inventory: marks.marked.some((m) => m > 0) || raisedRows > 0 ? keepRows(inv, marks.by, enterprise) : inv,
    exemptions: exemptionLines(inv, marks, connectorServers),
    warnings,
    connectors: connectorLines(connectorServers),
  };
}

/** R1a: nobody authenticates. */
function exemptUnauthenticated({ inv, marks }: RuleState): void {
  const n = inv.count;
  for (let i = 0; i < n; i++) if (inv.noCal[i]) marks.mark(i, "unauthenticated");
}

/** R10: a user with a qualifying plan is covered on every row; other plans only warn. */
function exemptCloudUsers({ inv, marks, warnings }: RuleState): void {
  if (inv.cloudPlans.length === 0) return;
  const n = inv.count;
  const exemptBy = marks.by;
  const qualifies = inv.cloudPlans.map((p) => cloudPlan(p)!);
  const coveredUser = new Uint8Array(inv.users.length);
  const notQualifying = new Map<number, Set<number>>(); // plan -> users
  let planWithoutUser = 0;
  for (let i = 0; i < n; i++) {
    const p = inv.cloudPlan[i];
    if (p < 0) continue;
    if (inv.user[i] < 0) planWithoutUser++;
    else if (qualifies[p].qualifies) coveredUser[inv.user[i]] = 1;
    else {
      if (!notQualifying.has(p)) notQualifying.set(p, new Set());
      notQualifying.get(p)!.add(inv.user[i]);
    }
  }
  for (let i = 0; i < n; i++) if (exemptBy[i] === NONE && inv.user[i] >= 0 && coveredUser[inv.user[i]]) marks.mark(i, "cloud");
  for (const [p, users] of notQualifying) {
    const family = qualifies[p].family;
    warnings.push(
      `${users.size} user${users.size === 1 ? "" : "s"} name "${inv.cloudPlans[p]}" (${family}) as their cloud plan: only Microsoft 365 / Office 365 E3 or E5 plans cover on-premises access (R10), so they still need CALs.`,
    );
  }
  if (planWithoutUser > 0) {
    warnings.push(
      `${planWithoutUser} row${planWithoutUser === 1 ? "" : "s"} name a cloud plan but no user: cloud plans cover users, not devices, so they still need CALs.`,
    );
  }
}

/**
 * R1a: up to 2 users or devices per server that ONLY administer it, in sheet order; the
 * rest count. A holder with any other row on that server is not admin-only there.
 */
function exemptAdmins({ inv, marks, warnings }: RuleState): void {
  if (!inv.adminOnly.includes(1)) return;
  const n = inv.count;
  const exemptBy = marks.by;
  const pair = (i: number) => inv.server[i] * (inv.users.length + inv.devices.length) + holderKey(inv, i);
  const alsoUses = new Set<number>();
  for (let i = 0; i < n; i++) if (!inv.adminOnly[i] && exemptBy[i] === NONE) alsoUses.add(pair(i));
  const adminsByServer = new Map<number, number[]>(); // server -> holder keys in order
  let noServer = 0;
  for (let i = 0; i < n; i++) {
    if (exemptBy[i] !== NONE || !inv.adminOnly[i]) continue;
    if (inv.server[i] < 0) {
      noServer++;
      continue;
    }
    if (alsoUses.has(pair(i))) continue;
    const list = adminsByServer.get(inv.server[i]) ?? [];
    adminsByServer.set(inv.server[i], list);
    const key = holderKey(inv, i);
    if (!list.includes(key)) list.push(key);
    if (list.indexOf(key) < ADMIN_EXEMPT_PER_SERVER) marks.mark(i, "admin");
  }
  for (const [s, list] of adminsByServer) {
    if (list.length <= ADMIN_EXEMPT_PER_SERVER) continue;
    const extra = list.slice(ADMIN_EXEMPT_PER_SERVER).map((k) => holderName(inv, k));
    warnings.push(
      `${serverName(inv, s)} has ${list.length} admin-only users or devices; only ${ADMIN_EXEMPT_PER_SERVER} need no CAL (R1a), so these still need CALs: ${extra.join(", ")}.`,
    );
  }
  if (noServer > 0) {
    warnings.push(`${noServer} admin-only row${noServer === 1 ? "" : "s"} name no server: the admin exemption is per server (R1a), so they still need CALs.`);
  }
}

/** R6: org-wide settings move every remaining mailbox on those versions to Enterprise. Returns the rows raised. */
function raiseOrgWide({ inv, marks, enterprise, warnings }: RuleState, orgWide: OrgWideSettings): number {
  const n = inv.count;
  const exemptBy = marks.by;
  let raisedRows = 0;
  for (const trigger of ORG_WIDE_TRIGGERS) {
    if (!orgWide[trigger.id]) continue;
    const versions = new Set(trigger.versions.map((v) => VERSIONS.findIndex((x) => x.id === v)));
    let raised = 0;
    for (let i = 0; i < n; i++) {
      if (exemptBy[i] === NONE && versions.has(inv.version[i]) && inv.version[i] >= ENTERPRISE_FROM_INDEX && !enterprise[i]) {
        enterprise[i] = 1;
        raised++;
      }
    }
    raisedRows += raised;
    warnings.push(
      `Every mailbox on Exchange ${trigger.versions.join("/")} needs an Enterprise CAL because of ${trigger.label} (R6): ${raised} row${raised === 1 ? "" : "s"} raised to Enterprise.`,
    );
  }
  return raisedRows;
}

/** R9: external users, by version. Returns the servers that take an External Connector. */
function exemptExternalUsers(state: RuleState, prices: Prices): ConnectorServer[] {
  const { inv, marks, enterprise, warnings } = state;
  const n = inv.count;
  const exemptBy = marks.by;
  const candidates: number[] = []; // external rows on 2010 and earlier: a CAL or a connector
  let externalEnterprise = 0;
  for (let i = 0; i < n; i++) {
    if (exemptBy[i] !== NONE || !inv.external[i]) continue;
    const how = VERSIONS[inv.version[i]].externalUsers;
    if (how === "cal-or-connector") candidates.push(i);
    else if (!enterprise[i]) marks.mark(i, "external-with-server");
    else externalEnterprise++;
  }
  if (externalEnterprise > 0) {
    warnings.push(
      `${externalEnterprise} external-user row${externalEnterprise === 1 ? "" : "s"} use Enterprise features: the server licence covers standard features only, so they need Standard and Enterprise CALs (R9).`,
    );
  }
  const connectorServers: ConnectorServer[] = [];
  if (candidates.length > 0) chooseConnectors(state, candidates, prices, connectorServers);
  return connectorServers;
}

/** Each rule that exempted rows, with its rows and holders, for the summary. */
function exemptionLines(inv: Inventory, marks: RowMarks, connectorServers: ConnectorServer[]): ExemptionLine[] {
  const n = inv.count;
  const exemptBy = marks.by;
  const lines: ExemptionLine[] = [];
  for (let k = 0; k < ORDER.length; k++) {
    if (marks.marked[k] === 0) continue;
    const holders = new Set<number>();
    let rows = 0;
    for (let i = 0; i < n; i++) {
      if (exemptBy[i] !== k) continue;
      rows++;
      holders.add(holderKey(inv, i));
    }
    if (rows === 0) continue;
    let reason = EXEMPTION_RULES[ORDER[k]].reason;
    if (ORDER[k] === "external-connector") reason += `: ${connectorServers.map((c) => c.server).join(", ")}`;
    lines.push({ reason: `${reason} (${EXEMPTION_RULES[ORDER[k]].rule})`, rows, holders: holders.size });
  }
  return lines;
}

/** The External Connectors to hold: one per connector server, at its newest version. */
function connectorLines(connectorServers: ConnectorServer[]): Requirement[] {
  const connectors = new Map<number, number>();
  for (const c of connectorServers) connectors.set(c.version, (connectors.get(c.version) ?? 0) + 1);
  return [...connectors].map(([v, quantity]) => ({ type: "connector", edition: "standard", version: VERSIONS[v].id, quantity }));
}

/** The inventory without exempt rows (ids and names unchanged), with the raised editions. */
function keepRows(inv: Inventory, exemptBy: Int8Array, enterprise: Uint8Array): Inventory {
  let kept = 0;
  for (let i = 0; i < inv.count; i++) if (exemptBy[i] === NONE) kept++;
  const idx = new Int32Array(kept);
  for (let i = 0, k = 0; i < inv.count; i++) if (exemptBy[i] === NONE) idx[k++] = i;
  const pick = <T extends Int32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(kept);
    for (let k = 0; k < kept; k++) out[k] = a[idx[k]];
    return out;
  };
  return {
    ...inv,
    count: kept,
    row: pick(inv.row),
    user: pick(inv.user),
    device: pick(inv.device),
    server: pick(inv.server),
    version: pick(inv.version),
    enterprise: pick(enterprise),
    external: pick(inv.external),
    adminOnly: pick(inv.adminOnly),
    noCal: pick(inv.noCal),
    cloudPlan: pick(inv.cloudPlan),
  };
}

/**
 * R9, 2010 and earlier: each external holder needs a CAL, or each server it reaches an
 * External Connector. One CAL covers its holder on every server and one connector every
 * external user of its server, so the cheapest choice is a minimum vertex cover of the
 * holder-server graph: the same min cut as the CAL mix. Holders who need a CAL for other
 * rows anyway are left to the plan (their external rows cost nothing more).
 */
function chooseConnectors(state: RuleState, candidates: number[], prices: Prices, connectorServers: ConnectorServer[]): void {
  const { inv, marks, enterprise, warnings } = state;
  const exemptBy = marks.by;
  const candidate = new Uint8Array(inv.count);
  for (const i of candidates) candidate[i] = 1;
  const needsCalAnyway = new Set<number>();
  for (let i = 0; i < inv.count; i++) if (exemptBy[i] === NONE && !candidate[i]) needsCalAnyway.add(holderKey(inv, i));

  const holderIds = new Map<number, number>();
  const holderOf: number[] = [];
  const edgeUser: number[] = [];
  const edgeServer: number[] = [];
  const edgeEnt: number[] = [];
  let noServer = 0;
  for (const i of candidates) {
    const key = holderKey(inv, i);
    if (needsCalAnyway.has(key)) continue;
    let h = holderIds.get(key);
    if (h === undefined) {
      h = holderOf.length;
      holderIds.set(key, h);
      holderOf.push(key);
    }
    if (inv.server[i] < 0) noServer++;
    edgeUser.push(h);
    edgeServer.push(inv.server[i]); // -1: no server to put a connector on, so a CAL
    edgeEnt.push(enterprise[i]);
  }
  if (noServer > 0) {
    warnings.push(
      `${noServer} external-user row${noServer === 1 ? "" : "s"} on Exchange 2010 or earlier name no server: an External Connector is bought per server, so they need CALs (R9).`,
    );
  }
  if (edgeUser.length === 0) return;
  const cover = minCostCover({
    users: holderOf.length,
    devices: inv.servers.length,
    edgeUser: Int32Array.from(edgeUser),
    edgeDevice: Int32Array.from(edgeServer),
    edgeEnterprise: Uint8Array.from(edgeEnt),
    // A connector licenses its server's external users whatever features they use.
    prices: {
      userStandard: cents(prices.userStandard),
      userEnterprise: cents(prices.userEnterprise),
      deviceStandard: cents(prices.externalConnector),
      deviceEnterprise: 1,
    },
  });
  const onServer = new Map<number, Set<number>>(); // server -> external-only holders
  for (let k = 0; k < edgeUser.length; k++) {
    if (edgeServer[k] < 0) continue;
    if (!onServer.has(edgeServer[k])) onServer.set(edgeServer[k], new Set());
    onServer.get(edgeServer[k])!.add(edgeUser[k]);
  }
  for (const i of candidates) {
    const h = holderIds.get(holderKey(inv, i));
    const s = inv.server[i];
    if (h === undefined || s < 0 || !cover.deviceStandard[s] || cover.userStandard[h]) continue;
    marks.mark(i, "external-connector");
  }
  for (const [s, holders] of onServer) {
    if (cover.deviceStandard[s]) {
      let version = 0;
      for (let i = 0; i < inv.count; i++) if (inv.server[i] === s && inv.version[i] > version) version = inv.version[i];
      connectorServers.push({ server: inv.servers[s], version });
    } else {
      const n = holders.size;
      warnings.push(
        `${inv.servers[s]}: CALs for its ${n} external user${n === 1 ? "" : "s"} cost less than an External Connector (${prices.externalConnector.toFixed(2)}), so they get CALs (R9).`,
      );
    }
  }
}
