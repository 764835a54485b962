import { SourceId } from "./sources";
import { CalType, Edition, LAST_CONNECTOR_VERSION, VERSIONS, VersionId, VersionRule, versionRule } from "./versions";

/**
 * What an organisation owns that gives Exchange CALs, beyond the boxed Exchange CAL: CAL
 * Suites, their Bridges, and Microsoft 365 / Office 365 / Exchange Online plans (rules E1-E7
 * in docs/licensing-rules.md). One row per product; `entitlementReach` turns an owned line
 * (product, dates, SA) into the versions it reaches, with the reason in words.
 */

export type ProductKind = "cal" | "connector" | "suite" | "bridge" | "plan";
/** How sure the row is about the Enterprise right (E4): the owned table's warnings say so. */
export type Confidence = "sourced" | "unconfirmed" | "assumed";

export interface Product {
  id: string;
  name: string;
  kind: ProductKind;
  standard: boolean; // gives an Exchange Server Standard CAL right
  enterprise: boolean; // gives the Enterprise (additive) CAL right too
  confidence: Confidence;
  /** User only for plans; suites and CALs per user or per device. */
  types: CalType[];
  /** Spellings, squeezed by productKey (lower case letters and digits, M365/O365/EXO spelt out). */
  aliases: string[];
  rule: string;
  note: string;
  sources: SourceId[];
}

const PLAN = { kind: "plan" as const, types: ["user"] as CalType[] };
const SUITE_TYPES: CalType[] = ["user", "device"];

export const PRODUCTS: readonly Product[] = [
  {
    id: "exchange-cal",
    name: "Exchange Server CAL",
    kind: "cal",
    standard: true,
    enterprise: true, // by the Edition column
    confidence: "sourced",
    types: ["user", "device", "server"],
    aliases: ["exchangeservercal", "exchangecal", "exchangeserverclientaccesslicense", "exchangeclientaccesslicense", "cal"],
    rule: "R4, R7, E5",
    note: "Covers its version and older, and newer versions that became available while its SA was active.",
    sources: ["licensingOverview2019", "directionsVL"],
  },
  {
    id: "external-connector",
    name: "Exchange Server External Connector",
    kind: "connector",
    standard: true,
    enterprise: false,
    confidence: "sourced",
    types: ["connector"],
    aliases: ["externalconnector", "exchangeserverexternalconnector", "exchangeexternalconnector", "externalconnectorlicense", "externalconnectorlicence"],
    rule: "R9, E7",
    note: "Discontinued with Exchange 2013: counts only for 2010 and older servers.",
    sources: ["faq", "directions2013Connector"],
  },
  {
    id: "core-cal-suite",
    name: "Core CAL Suite",
    kind: "suite",
    standard: true,
    enterprise: false,
    confidence: "sourced",
    types: SUITE_TYPES,
    aliases: ["corecalsuite", "corecal", "ccal", "ccalsuite", "coreclientaccesslicensesuite", "coresuite"],
    rule: "E1, E2",
    note: "One Exchange Server Standard CAL per licence; version-less, reach set by purchase and SA dates.",
    sources: ["calSuites"],
  },
  {
    id: "enterprise-cal-suite",
    name: "Enterprise CAL Suite",
    kind: "suite",
    standard: true,
    enterprise: true,
    confidence: "sourced",
    types: SUITE_TYPES,
    aliases: ["enterprisecalsuite", "ecal", "ecalsuite", "enterpriseclientaccesslicensesuite", "enterprisesuite"],
    rule: "E1, E2",
    note: "One Exchange Server Standard and one Enterprise CAL per licence, for the same user or device.",
    sources: ["calSuites"],
  },
  {
    id: "core-cal-suite-bridge",
    name: "Core CAL Suite Bridge",
    kind: "bridge",
    standard: false,
    enterprise: false,
    confidence: "sourced",
    types: ["user"],
    aliases: ["corecalsuitebridge", "corecalbridge", "ccalbridge"],
    rule: "E3",
    note: "Holds no Exchange CAL: the online plan it is sold with supplies Exchange.",
    sources: ["suiteBridge"],
  },
  {
    id: "enterprise-cal-suite-bridge",
    name: "Enterprise CAL Suite Bridge",
    kind: "bridge",
    standard: false,
    enterprise: false,
    confidence: "sourced",
    types: ["user"],
    aliases: ["enterprisecalsuitebridge", "enterprisecalbridge", "ecalbridge", "ecalsuitebridge"],
    rule: "E3",
    note: "Holds no Exchange CAL: the online plan it is sold with supplies Exchange.",
    sources: ["suiteBridge"],
  },
  {
    id: "m365-e3",
    name: "Microsoft 365 E3",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "sourced",
    aliases: ["microsoft365e3"],
    rule: "E4",
    note: "Dual use: Standard and Enterprise CAL rights on premises while the subscription is active.",
    sources: ["dualUse", "schnollSE"],
  },
  {
    id: "m365-e5",
    name: "Microsoft 365 E5",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "sourced",
    aliases: ["microsoft365e5"],
    rule: "E4",
    note: "Dual use: Standard and Enterprise CAL rights on premises while the subscription is active.",
    sources: ["dualUse", "schnollSE"],
  },
  {
    id: "m365-a3",
    name: "Microsoft 365 A3",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "unconfirmed",
    aliases: ["microsoft365a3"],
    rule: "E4",
    note: "Standard sourced; Enterprise unconfirmed, counted as given (check the agreement).",
    sources: ["schnollSE"],
  },
  {
    id: "m365-a5",
    name: "Microsoft 365 A5",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "unconfirmed",
    aliases: ["microsoft365a5"],
    rule: "E4",
    note: "Standard sourced; Enterprise unconfirmed, counted as given (check the agreement).",
    sources: ["schnollSE"],
  },
  {
    id: "o365-e3",
    name: "Office 365 E3",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "unconfirmed",
    aliases: ["office365e3"],
    rule: "E4",
    note: "Standard; Enterprise likely but unconfirmed, counted as given (check the agreement).",
    sources: ["dualUse"],
  },
  {
    id: "o365-e5",
    name: "Office 365 E5",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "unconfirmed",
    aliases: ["office365e5"],
    rule: "E4",
    note: "Standard; Enterprise likely but unconfirmed, counted as given (check the agreement).",
    sources: ["dualUse"],
  },
  {
    id: "exo-plan-2",
    name: "Exchange Online Plan 2",
    ...PLAN,
    standard: true,
    enterprise: true,
    confidence: "unconfirmed",
    aliases: ["exchangeonlineplan2"],
    rule: "E4",
    note: "Standard; Enterprise likely but unconfirmed, counted as given (check the agreement).",
    sources: ["dualUse"],
  },
  {
    id: "o365-e1",
    name: "Office 365 E1",
    ...PLAN,
    standard: true,
    enterprise: false,
    confidence: "sourced",
    aliases: ["office365e1"],
    rule: "E4",
    note: "Standard CAL rights only.",
    sources: ["dualUse", "exoServiceDescription"],
  },
  {
    id: "exo-plan-1",
    name: "Exchange Online Plan 1",
    ...PLAN,
    standard: true,
    enterprise: false,
    confidence: "sourced",
    aliases: ["exchangeonlineplan1"],
    rule: "E4",
    note: 'Provides "a license equivalent to an Exchange Server Standard CAL".',
    sources: ["exoServiceDescription"],
  },
  ...(
    [
      ["exo-kiosk", "Exchange Online Kiosk", ["exchangeonlinekiosk"], "sourced"],
      ["m365-f1", "Microsoft 365 F1", ["microsoft365f1"], "sourced"],
      ["m365-f3", "Microsoft 365 F3", ["microsoft365f3"], "sourced"],
      ["o365-f3", "Office 365 F3", ["office365f3"], "sourced"],
      ["m365-business-basic", "Microsoft 365 Business Basic", ["microsoft365businessbasic"], "sourced"],
      ["m365-business-standard", "Microsoft 365 Business Standard", ["microsoft365businessstandard"], "sourced"],
      ["m365-business-premium", "Microsoft 365 Business Premium", ["microsoft365businesspremium"], "assumed"],
    ] as const
  ).map(([id, name, aliases, confidence]) => ({
    id,
    name,
    ...PLAN,
    standard: false,
    enterprise: false,
    confidence: confidence as Confidence,
    aliases: [...aliases],
    rule: "E4",
    note:
      confidence === "assumed"
        ? "Not listed by the service description; assumed to give no on-premises rights, like the other Business plans."
        : "Gives no on-premises access rights.",
    sources: ["exoServiceDescription"] as SourceId[],
  })),
];

/** Lower-case letters and digits, with the usual abbreviations spelt out: "M365 E3" = "Microsoft 365 E3". */
export function productKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\((no|without) teams\)|\bno teams\b|\beea\b/g, " ")
    .replace(/[^a-z0-9]+/g, "")
    .replace(/^ms(?=365|office)/, "microsoft")
    .replace(/^m365/, "microsoft365")
    .replace(/^o365/, "office365")
    .replace(/^(microsoft)?office365/, "office365")
    .replace(/^(microsoft)?exo(?!n)/, "exchangeonline")
    .replace(/^(microsoft)?exchangeonline/, "exchangeonline")
    .replace(/^exchangeonline(p|plan)?([12])$/, "exchangeonlineplan$2")
    .replace(/^microsoftcore/, "core")
    .replace(/^microsoftenterprise/, "enterprise")
    .replace(/licence/g, "license")
    .replace(/forofficeoffice365$|for(office|microsoft)365$|forems$/, "");
}

const BY_KEY = new Map<string, Product>();
for (const p of PRODUCTS) for (const a of [p.id.replace(/-/g, ""), ...p.aliases, productKey(p.name)]) BY_KEY.set(a, p);

export function productById(id: string): Product {
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) throw new Error(`No product ${id}`);
  return p;
}

/** The product a cell names, forgivingly; undefined when it names none we know. */
export function parseProduct(text: string): Product | undefined {
  const key = productKey(text);
  if (!key) return undefined;
  const hit = BY_KEY.get(key);
  if (hit) return hit;
  if (/bridge/.test(key)) return productById(/^(enterprise|ecal)/.test(key) || /ecal/.test(key) ? "enterprise-cal-suite-bridge" : "core-cal-suite-bridge");
  return undefined;
}

/** The terms of one owned line, as the owned table gives them. Dates are ISO (YYYY-MM-DD). */
export interface EntitlementTerms {
  product: Product;
  version?: VersionId; // Exchange CAL and External Connector lines
  edition?: Edition; // Exchange CAL lines
  purchased?: string;
  saUntil?: string; // the day SA or the subscription ends
  saActive?: boolean; // the yes/no column, when there is no date
  asOf: string; // the audit date
}

/** What one owned line reaches: the newest version for each right (prefixes: it covers older ones), and why. */
export interface Reach {
  standard: VersionId | null;
  enterprise: VersionId | null;
  why: string;
  /** Facts a person should check: assumptions made, rights that depend on the agreement. */
  warnings: string[];
}

const NON_SUBSCRIPTION = VERSIONS.filter((v) => !v.needsSubscription);

function newest(list: readonly VersionRule[]): VersionRule | undefined {
  return list.length ? list[list.length - 1] : undefined;
}

/**
 * E2, E5, E6: SA active on a date. An end date decides; "SA active: yes" without one means
 * active on the audit date and, since SA cannot be added to a licence later, since purchase.
 */
function saActiveOn(t: EntitlementTerms, date: string): boolean {
  if (t.purchased && date < t.purchased) return false;
  if (t.saUntil) return date <= t.saUntil;
  return t.saActive === true && date <= t.asOf;
}

/** E6: SE access needs a subscription or SA active on the audit date, and SE available by then. */
function reachesSubscriptionVersions(t: EntitlementTerms): VersionRule[] {
  return VERSIONS.filter((v) => v.needsSubscription && v.available <= t.asOf && saActiveOn(t, t.asOf));
}

export function entitlementReach(t: EntitlementTerms): Reach {
  const warnings: string[] = [];
  if (t.purchased && t.purchased > t.asOf) {
    return { standard: null, enterprise: null, why: `bought ${t.purchased}, after the audit date ${t.asOf}`, warnings: [] };
  }
  switch (t.product.kind) {
    case "bridge":
      return {
        standard: null,
        enterprise: null,
        why: `a CAL Suite Bridge holds no Exchange CAL; the online plan sold with it does (${t.product.rule})`,
        warnings,
      };
    case "plan":
      return planReach(t, warnings);
    case "suite":
      return suiteReach(t, warnings);
    case "connector":
      return connectorReach(t, warnings);
    default:
      return calReach(t, warnings);
  }
}

function planReach(t: EntitlementTerms, warnings: string[]): Reach {
  const p = t.product;
  if (!p.standard) {
    return { standard: null, enterprise: null, why: `${p.name} gives no on-premises access rights (${p.rule})`, warnings };
  }
  const active = t.saUntil ? t.saUntil >= t.asOf : t.saActive !== false;
  if (!active) {
    const ended = t.saUntil ? `ended ${t.saUntil}` : "is marked not active";
    return { standard: null, enterprise: null, why: `the subscription ${ended}: a plan counts only while active (${p.rule})`, warnings };
  }
  const top = newest(VERSIONS.filter((v) => v.available <= t.asOf))!;
  const rights = p.enterprise ? "Standard and Enterprise" : "Standard";
  const basis = t.saUntil ? `subscription active until ${t.saUntil}` : t.saActive ? "subscription marked active" : "no end date given: counted as active";
  return {
    standard: top.id,
    enterprise: p.enterprise ? top.id : null,
    why: `${rights} rights on premises for every version while subscribed (dual use, ${p.rule}); ${basis}`,
    warnings,
  };
}

function suiteReach(t: EntitlementTerms, warnings: string[]): Reach {
  const p = t.product;
  // Versions available when bought, or while SA ran (E2); without a purchase date, SA decides.
  const reached = NON_SUBSCRIPTION.filter(
    (v) => v.available <= t.asOf && ((t.purchased !== undefined && v.available <= t.purchased) || saActiveOn(t, v.available)),
  );
  const parts: string[] = [];
  let list = reached;
  if (!t.purchased && !t.saUntil && t.saActive === undefined) {
    list = NON_SUBSCRIPTION.filter((v) => v.available <= t.asOf);
    parts.push("no purchase or SA date: counted as bought on the audit date");
    warnings.push(`give its Purchased date (or SA until): a suite reaches only the versions available when bought or while SA ran (${p.rule})`);
  } else {
    if (t.purchased) parts.push(`bought ${t.purchased}`);
    if (t.saUntil) parts.push(`SA until ${t.saUntil}`);
    else if (t.saActive) parts.push("SA active");
    else if (t.saActive === false) parts.push("SA not active");
  }
  const se = reachesSubscriptionVersions(t);
  const top = newest([...list, ...se]);
  const seText = se.length ? "SE: SA active on the audit date" : `not SE: needs SA active on ${t.asOf}`;
  const why = `version-less suite (${p.rule}): ${parts.join(", ")}${top ? `, so up to ${top.id}` : ", so no version"}; ${seText}`;
  return { standard: top?.id ?? null, enterprise: p.enterprise ? (top?.id ?? null) : null, why, warnings };
}

function calReach(t: EntitlementTerms, warnings: string[]): Reach {
  const version = t.version!;
  const own = versionRule(version);
  const hasSaInfo = t.saUntil !== undefined || t.saActive !== undefined;
  // An SE CAL is sold only as a subscription or with SA: without a word on it, it is taken as active.
  const assumeActive = own.needsSubscription && !hasSaInfo;
  const terms = assumeActive ? { ...t, saActive: true } : t;
  const upgraded = NON_SUBSCRIPTION.filter((v) => v.rank > own.rank && v.available <= t.asOf && saActiveOn(terms, v.available));
  const se = reachesSubscriptionVersions(terms);
  const base = own.needsSubscription ? NON_SUBSCRIPTION : NON_SUBSCRIPTION.filter((v) => v.rank <= own.rank);
  const top = newest([...base, ...upgraded, ...se])!;
  const parts = [`version ${version} and older (${"R7"})`];
  if (upgraded.length) parts.push(`${upgraded.map((v) => v.id).join(", ")}: SA was active when ${upgraded.length === 1 ? "it" : "they"} became available (E5)`);
  if (se.length)
    parts.push(
      assumeActive
        ? "SE: no SA column, counted as active (SE CALs are sold with SA or as subscriptions)"
        : "SE: SA or subscription active on the audit date (E6)",
    );
  else if (own.needsSubscription || top.rank >= newest(NON_SUBSCRIPTION)!.rank) parts.push(`not SE: no active SA or subscription on ${t.asOf} (E6)`);
  if (own.needsSubscription && !se.length) {
    warnings.push(
      "an SE CAL without active SA or subscription is counted for 2019 and older only, as a perpetual licence with down-version rights; if it was a subscription, it counts for nothing",
    );
  }
  const edition = t.edition ?? "standard";
  return {
    standard: edition === "standard" ? top.id : null,
    enterprise: edition === "enterprise" ? top.id : null,
    why: parts.join("; "),
    warnings,
  };
}

function connectorReach(t: EntitlementTerms, warnings: string[]): Reach {
  const last = versionRule(LAST_CONNECTOR_VERSION);
  const own = t.version ? versionRule(t.version) : last;
  const top = own.rank > last.rank ? last : own;
  if (own.rank > last.rank) warnings.push(`External Connectors were discontinued with Exchange 2013 (E7): counted for ${last.id} and older servers only`);
  return {
    standard: top.id,
    enterprise: null,
    why: `External Connector: ${top.id} and older servers; from 2013 external users are licensed with the server (E7)`,
    warnings,
  };
}
