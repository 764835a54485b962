import { SourceId } from "./sources";

/**
 * THE licensing table: one row per Exchange Server version. Everything else in the
 * product (custom functions, the audit, the docs) reads these rows, so a correction is
 * one edit here. Facts and sources: docs/licensing-rules.md.
 */

export type VersionId = "5.5" | "2000" | "2003" | "2007" | "2010" | "2013" | "2016" | "2019" | "SE";

/** How an organisation licenses client access to a version. */
export type LicensingMode = "per-user" | "per-device" | "mixed" | "per-seat" | "per-server";

/**
 * The kinds of licence a position counts. "server" = a per-server CAL (5.5/2000) tied to one
 * server; "connector" = an External Connector, one per server, for external users (R9, 2010 and earlier).
 */
export type CalType = "user" | "device" | "server" | "connector";
export type Edition = "standard" | "enterprise";

/** How external (non-employee) users are licensed (R9). */
type ExternalUsers =
  | "cal-or-connector" // 2010 and earlier: a CAL each, or one External Connector per server
  | "with-server" // 2013-2019: licensed with the server for standard features
  | "with-server-enterprise-needs-cals"; // SE: Enterprise features still need Standard + Enterprise CALs

export interface VersionRule {
  id: VersionId;
  /** Microsoft's product name, for display. */
  name: string;
  /** Position in time; a CAL covers servers whose rank is <= its own (down-version rights, R7). */
  rank: number;
  /** Other spellings people type or exports print, already normalised (see parse.ts). */
  aliases: string[];
  /** Build numbers as Get-ExchangeServer prints them ("Version 15.1 (Build 2507.6)"). */
  build: { major: number; minor?: number; fromBuild?: number };
  /** Modes this version offers, in the order the product lists them. */
  modes: LicensingMode[];
  /** CAL kinds sold for this version. */
  calTypes: CalType[];
  editions: Edition[];
  externalUsers: ExternalUsers;
  /** Server and CALs count only with an active subscription or Software Assurance (R8, E6). */
  needsSubscription: boolean;
  /** General availability (ISO date): a suite or SA reaches this version if bought or covered on it (E2, E5). */
  available: string;
  /** End of extended support (ISO date); null under the Modern Lifecycle (SE). */
  endOfSupport: string | null;
  /** True where the dates are not in the team's fact sheet (docs say which source to check). */
  datesUnconfirmed?: boolean;
  /** Why the row says what it says, in a sentence a licensing manager would accept. */
  note: string;
  sources: SourceId[];
}

const OLD_MODES: LicensingMode[] = ["per-seat", "per-server"];
const MODERN_MODES: LicensingMode[] = ["per-user", "per-device", "mixed"];

export const VERSIONS: readonly VersionRule[] = [
  {
    id: "5.5",
    build: { major: 5, minor: 5 },
    name: "Exchange Server 5.5",
    rank: 1,
    aliases: ["5.5", "55", "exchange 5.5"],
    modes: OLD_MODES,
    calTypes: ["device", "server", "connector"],
    editions: ["standard"],
    externalUsers: "cal-or-connector",
    needsSubscription: false,
    available: "1998-02-03",
    endOfSupport: "2006-01-10",
    datesUnconfirmed: true,
    note: "Per-seat CALs are per device; per-server CALs count concurrent connections to one server and are not shared between servers.",
    sources: ["win2000", "vlGuidance", "lifecycle"],
  },
  {
    id: "2000",
    build: { major: 6, minor: 0 },
    name: "Exchange 2000 Server",
    rank: 2,
    aliases: ["2000", "exchange 2000"],
    modes: OLD_MODES,
    calTypes: ["device", "server", "connector"],
    editions: ["standard"],
    externalUsers: "cal-or-connector",
    needsSubscription: false,
    available: "2000-11-29",
    endOfSupport: "2011-01-11",
    datesUnconfirmed: true,
    note: "Per-seat CALs are per DEVICE; there is no user CAL (the seed column calls per-seat 'per-user', see R2). Switching per-server to per-seat is one-way.",
    sources: ["win2000", "infoworld2003", "seed", "lifecycle"],
  },
  {
    id: "2003",
    build: { major: 6, minor: 5 },
    name: "Exchange Server 2003",
    rank: 3,
    aliases: ["2003", "exchange 2003"],
    modes: MODERN_MODES,
    calTypes: ["user", "device", "connector"],
    editions: ["standard"],
    externalUsers: "cal-or-connector",
    needsSubscription: false,
    available: "2003-09-28",
    endOfSupport: "2014-04-08",
    note: "Added the user CAL beside the device CAL; the two can be mixed in one organisation.",
    sources: ["infoworld2003", "faq", "lifecycle"],
  },
  {
    id: "2007",
    build: { major: 8 },
    name: "Exchange Server 2007",
    rank: 4,
    aliases: ["2007", "exchange 2007", "exchange 12"],
    modes: MODERN_MODES,
    calTypes: ["user", "device", "connector"],
    editions: ["standard", "enterprise"],
    externalUsers: "cal-or-connector",
    needsSubscription: false,
    available: "2007-03-08",
    endOfSupport: "2017-04-11",
    note: "Introduced the Enterprise CAL, an add-on to the Standard CAL.",
    sources: ["licensingOverview2019", "connectingUp", "lifecycle"],
  },
  {
    id: "2010",
    build: { major: 14 },
    name: "Exchange Server 2010",
    rank: 5,
    aliases: ["2010", "exchange 2010", "exchange 14"],
    modes: MODERN_MODES,
    calTypes: ["user", "device", "connector"],
    editions: ["standard", "enterprise"],
    externalUsers: "cal-or-connector",
    needsSubscription: false,
    available: "2009-11-09",
    endOfSupport: "2020-10-13",
    note: "Last version where external users need CALs or an External Connector per server.",
    sources: ["faq", "directions2013", "lifecycle"],
  },
  {
    id: "2013",
    build: { major: 15, minor: 0 },
    name: "Exchange Server 2013",
    rank: 6,
    // License names printed by Get-ExchangeServerAccessLicense on 2013 say "Exchange 15".
    aliases: ["2013", "exchange 2013", "exchange 15"],
    modes: MODERN_MODES,
    calTypes: ["user", "device"],
    editions: ["standard", "enterprise"],
    externalUsers: "with-server",
    needsSubscription: false,
    available: "2013-01-09",
    endOfSupport: "2023-04-11",
    note: "External users are licensed with the server for standard features.",
    sources: ["directions2013", "faq", "lifecycle"],
  },
  {
    id: "2016",
    build: { major: 15, minor: 1 },
    name: "Exchange Server 2016",
    rank: 7,
    aliases: ["2016", "exchange 2016"],
    modes: MODERN_MODES,
    calTypes: ["user", "device"],
    editions: ["standard", "enterprise"],
    externalUsers: "with-server",
    needsSubscription: false,
    available: "2015-10-01",
    endOfSupport: "2025-10-14",
    note: "Standard CAL always; Enterprise CAL on top for Enterprise features.",
    sources: ["licensingOverview2019", "connectingUp", "lifecycle"],
  },
  {
    id: "2019",
    build: { major: 15, minor: 2 },
    name: "Exchange Server 2019",
    rank: 8,
    aliases: ["2019", "exchange 2019"],
    modes: MODERN_MODES,
    calTypes: ["user", "device"],
    editions: ["standard", "enterprise"],
    externalUsers: "with-server",
    needsSubscription: false,
    available: "2018-10-22",
    endOfSupport: "2025-10-14",
    note: "Standard CAL always; Enterprise CAL on top for Enterprise features.",
    sources: ["licensingOverview2019", "lifecycle"],
  },
  {
    id: "SE",
    build: { major: 15, minor: 2, fromBuild: 2562 },
    name: "Exchange Server Subscription Edition",
    rank: 9,
    aliases: ["se", "subscription edition", "exchange se", "exchange subscription edition", "2025", "exchange 2025"],
    modes: MODERN_MODES,
    calTypes: ["user", "device"],
    editions: ["standard", "enterprise"],
    externalUsers: "with-server-enterprise-needs-cals",
    needsSubscription: true,
    available: "2025-07-01",
    endOfSupport: null,
    note: "Server and CALs need an active subscription or Software Assurance; external users are licensed with the server except for Enterprise features.",
    sources: ["productTerms", "lifecycle"],
  },
];

const BY_ID = new Map<VersionId, VersionRule>(VERSIONS.map((v) => [v.id, v]));

export function versionRule(id: VersionId): VersionRule {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`No licensing rule for version ${id}`);
  return rule;
}

/** The newest version in the table: new CALs are bought at this version (R8). */
export const CURRENT_VERSION: VersionId = VERSIONS[VERSIONS.length - 1].id;

/** R7: a CAL may access a server of its own version or older. */
export function calCovers(calVersion: VersionId, serverVersion: VersionId): boolean {
  return versionRule(calVersion).rank >= versionRule(serverVersion).rank;
}

/** The first version in the table that offers something: the thresholds the audit checks derive from the rows. */
export function firstVersionWith(test: (rule: VersionRule) => boolean): VersionId {
  const rule = VERSIONS.find(test);
  if (!rule) throw new Error("No version in the table passes this test");
  return rule.id;
}

/** R2: the first version with a user CAL (2003). */
export const USER_CAL_FROM: VersionId = firstVersionWith((v) => v.calTypes.includes("user"));
/** R4: the first version with an Enterprise CAL (2007). */
export const ENTERPRISE_FROM: VersionId = firstVersionWith((v) => v.editions.includes("enterprise"));
/** R9/E7: the last version with External Connectors (2010). */
export const LAST_CONNECTOR_VERSION: VersionId = [...VERSIONS].reverse().find((v) => v.calTypes.includes("connector"))!.id;
/** Index of a version in VERSIONS (the audit stores versions as these indexes). */
export function versionIndex(id: VersionId): number {
  return VERSIONS.indexOf(versionRule(id));
}

export function newerVersion(a: VersionId, b: VersionId): VersionId {
  return versionRule(a).rank >= versionRule(b).rank ? a : b;
}

export function compareVersions(a: VersionId, b: VersionId): number {
  return versionRule(a).rank - versionRule(b).rank;
}

export function offers(version: VersionId, what: { mode?: LicensingMode; calType?: CalType; edition?: Edition }): boolean {
  const rule = versionRule(version);
  if (what.mode && !rule.modes.includes(what.mode)) return false;
  if (what.calType && !rule.calTypes.includes(what.calType)) return false;
  if (what.edition && !rule.editions.includes(what.edition)) return false;
  return true;
}
