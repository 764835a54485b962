import { SourceId } from "./sources";
import { VersionId } from "./versions";

/**
 * Access that needs no CAL, or is licensed some other way: the rules behind the audit's
 * "Exempt and covered elsewhere" section. Data, not code, so a correction is one row.
 * docs/licensing-rules.md explains each with its source.
 */

export interface ExemptionRule {
  id: "unauthenticated" | "cloud" | "admin" | "external-with-server" | "external-connector";
  rule: string; // the rules-file number
  reason: string; // what the summary says, in a licensing manager's words
  sources: SourceId[];
}

export const EXEMPTION_RULES: Record<ExemptionRule["id"], ExemptionRule> = {
  unauthenticated: {
    id: "unauthenticated",
    rule: "R1a",
    reason: "Unauthenticated or server-to-server access needs no CAL",
    sources: ["vlGuidance"],
  },
  cloud: {
    id: "cloud",
    rule: "R10",
    reason: "Covered by a Microsoft 365 / Office 365 E3 or E5 subscription (dual use rights)",
    sources: ["dualUse"],
  },
  admin: {
    id: "admin",
    rule: "R1a",
    reason: "Administers the server only (up to 2 users or devices per server need no CAL)",
    sources: ["vlGuidance"],
  },
  "external-with-server": {
    id: "external-with-server",
    rule: "R9",
    reason: "External user licensed with the server (Exchange 2013 and later, standard features)",
    sources: ["directions2013", "faq", "productTerms"],
  },
  "external-connector": {
    id: "external-connector",
    rule: "R9",
    reason: "External user covered by an External Connector licence on the server (Exchange 2010 and earlier)",
    sources: ["faq"],
  },
};

/** R1a: users or devices per server that only administer it and need no CAL. */
export const ADMIN_EXEMPT_PER_SERVER = 2;

/** R1a: Access column values that mean no person or device authenticates. */
export const NO_CAL_ACCESS = ["anonymous", "anon", "unauthenticated", "service", "server-to-server", "server to server", "s2s", "system"];

/**
 * R10: Microsoft 365 / Office 365 plans, matched on the plan name squeezed to lower-case
 * words. Only the Enterprise E3/E5 family carries on-premises (dual use) rights.
 */
const CLOUD_PLANS: { family: string; pattern: string; qualifies: boolean }[] = [
  // Add-ons named after E5 are not E5 suites: listed first so they do not match the suite.
  {
    family: "an E5 add-on (Security, Compliance, eDiscovery, Information Protection, Insider Risk)",
    pattern: "\\be5 (security|compliance|ediscovery|information protection|insider risk)",
    qualifies: false,
  },
  { family: "Microsoft 365 / Office 365 E3 or E5", pattern: "\\b(e3|e5)\\b", qualifies: true },
  { family: "Office 365 E4 (retired E3 family plan)", pattern: "\\be4\\b", qualifies: true },
  { family: "Microsoft 365 Business", pattern: "\\bbusiness\\b", qualifies: false },
  { family: "Frontline (F1/F3)", pattern: "\\b(f1|f3|frontline)\\b", qualifies: false },
  { family: "Office 365 E1", pattern: "\\be1\\b", qualifies: false },
  { family: "Exchange Online plan", pattern: "\\bexchange online\\b", qualifies: false },
];

export function cloudPlan(name: string): { family: string; qualifies: boolean } | undefined {
  const text = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  if (!text) return undefined;
  const hit = CLOUD_PLANS.find((p) => new RegExp(p.pattern).test(text));
  return hit ? { family: hit.family, qualifies: hit.qualifies } : { family: "unrecognised plan", qualifies: false };
}

/** R6: organisation-wide settings that move EVERY mailbox on those versions to Enterprise. */
interface OrgWideTrigger {
  id: "journalWholeOrg" | "rightsProtectionRules" | "advancedAntiSpam";
  label: string;
  versions: VersionId[];
  sources: SourceId[];
}

export const ORG_WIDE_TRIGGERS: OrgWideTrigger[] = [
  {
    id: "journalWholeOrg",
    label: "a journal rule for the whole organisation",
    versions: ["2007", "2010", "2013", "2016", "2019", "SE"],
    sources: ["licensingOverview2019", "connectingUp"],
  },
  { id: "rightsProtectionRules", label: "rights-protection (IRM) transport rules", versions: ["2010"], sources: ["connectingUp"] },
  { id: "advancedAntiSpam", label: "advanced anti-spam updates on a transport server", versions: ["2007", "2010"], sources: ["connectingUp"] },
];

export type OrgWideSettings = Partial<Record<OrgWideTrigger["id"], boolean>>;
