import { SourceId } from "./sources";

/**
 * Which Exchange mailboxes create CAL demand of their own, and which mailbox properties mark
 * their user as using Enterprise features. Data, not code: a correction is one row. The
 * inventory builder (src/exports) reads these; docs/licensing-rules.md explains each row.
 */

export interface MailboxTypeRule {
  /** RecipientTypeDetails as Get-Mailbox prints it. */
  type: string;
  /** "user": the mailbox's own user needs a CAL; "none": no CAL of its own (its users need theirs). */
  demand: "user" | "none";
  /** Why, in a licensing manager's words (shown beside every excluded mailbox). */
  reason: string;
  rule: string;
  sources: SourceId[];
}

const RESOURCE = "has a disabled account and no logon of its own; the people who open it need the CALs";
const SYSTEM = "is used by Exchange itself, not by a person";

export const MAILBOX_TYPES: readonly MailboxTypeRule[] = [
  { type: "UserMailbox", demand: "user", reason: "a person's mailbox", rule: "R1", sources: ["faq"] },
  {
    type: "LinkedMailbox",
    demand: "user",
    reason: "a person's mailbox, used through an account in another forest (its own account is disabled by design)",
    rule: "R1",
    sources: ["faq", "exchangeRecipients"],
  },
  { type: "LegacyMailbox", demand: "user", reason: "a person's mailbox moved from an older version", rule: "R1", sources: ["faq"] },
  { type: "SharedMailbox", demand: "none", reason: `Shared mailbox: ${RESOURCE}`, rule: "E8", sources: ["exchangeRecipients", "faq"] },
  { type: "RoomMailbox", demand: "none", reason: `Room mailbox: ${RESOURCE}`, rule: "E8", sources: ["exchangeRecipients", "faq"] },
  { type: "LinkedRoomMailbox", demand: "none", reason: `Room mailbox: ${RESOURCE}`, rule: "E8", sources: ["exchangeRecipients", "faq"] },
  { type: "EquipmentMailbox", demand: "none", reason: `Equipment mailbox: ${RESOURCE}`, rule: "E8", sources: ["exchangeRecipients", "faq"] },
  { type: "SchedulingMailbox", demand: "none", reason: `Scheduling mailbox: ${RESOURCE}`, rule: "E8", sources: ["exchangeRecipients"] },
  { type: "TeamMailbox", demand: "none", reason: "Site mailbox: shared by its members, who need the CALs", rule: "E8", sources: ["exchangeRecipients"] },
  { type: "GroupMailbox", demand: "none", reason: "Group mailbox: shared by its members, who need the CALs", rule: "E8", sources: ["exchangeRecipients"] },
  {
    type: "PublicFolderMailbox",
    demand: "none",
    reason: "Public folder mailbox: holds public folders; the people who open them need the CALs",
    rule: "E8",
    sources: ["exchangeRecipients"],
  },
  { type: "DiscoveryMailbox", demand: "none", reason: `Discovery search mailbox: ${SYSTEM}`, rule: "R1a", sources: ["exchangeRecipients", "vlGuidance"] },
  { type: "ArbitrationMailbox", demand: "none", reason: `Arbitration (system) mailbox: ${SYSTEM}`, rule: "R1a", sources: ["exchangeRecipients", "vlGuidance"] },
  { type: "MonitoringMailbox", demand: "none", reason: `Health (monitoring) mailbox: ${SYSTEM}`, rule: "R1a", sources: ["exchangeRecipients", "vlGuidance"] },
  { type: "AuditLogMailbox", demand: "none", reason: `Audit log mailbox: ${SYSTEM}`, rule: "R1a", sources: ["exchangeRecipients", "vlGuidance"] },
  { type: "AuxAuditLogMailbox", demand: "none", reason: `Audit log mailbox: ${SYSTEM}`, rule: "R1a", sources: ["exchangeRecipients", "vlGuidance"] },
  { type: "SystemMailbox", demand: "none", reason: `System mailbox: ${SYSTEM}`, rule: "R1a", sources: ["exchangeRecipients", "vlGuidance"] },
  {
    type: "RemoteUserMailbox",
    demand: "none",
    reason: "Mailbox in Exchange Online: licensed by its online plan, not by an on-premises CAL (check E4 if the user also reaches on-premises servers)",
    rule: "E4",
    sources: ["dualUse"],
  },
];

const TYPE_BY_KEY = new Map(MAILBOX_TYPES.map((t) => [t.type.toLowerCase(), t]));

/** The rule for a RecipientTypeDetails value; undefined when the table does not know it. */
export function mailboxTypeRule(recipientTypeDetails: string): MailboxTypeRule | undefined {
  return TYPE_BY_KEY.get(recipientTypeDetails.trim().toLowerCase());
}

/** A disabled account with no activity in the audit window creates no demand (R1: only users who connect need a CAL). */
export const DISABLED_ACCOUNT_RULE = {
  reason: "account disabled and no activity in the audit window: a leaver, who no longer connects",
  rule: "R1",
  sources: ["faq"] as SourceId[],
};

export interface MailboxFeatureRule {
  id: "archive" | "litigationHold" | "inPlaceHold" | "retentionPolicy";
  /** What the inventory's Details column says. */
  label: string;
  rule: string;
  /** Where sources disagree, said on every row it marks. */
  caveat?: string;
  sources: SourceId[];
}

/** R5: mailbox properties that mark the mailbox's user as using Enterprise features. */
export const ENTERPRISE_MAILBOX_FEATURES: Record<MailboxFeatureRule["id"], MailboxFeatureRule> = {
  archive: { id: "archive", label: "in-place archive", rule: "R5", sources: ["licensingOverview2019", "connectingUp"] },
  litigationHold: { id: "litigationHold", label: "litigation hold", rule: "R5", sources: ["licensingOverview2019", "connectingUp"] },
  inPlaceHold: { id: "inPlaceHold", label: "in-place hold", rule: "R5", sources: ["licensingOverview2019", "connectingUp"] },
  retentionPolicy: {
    id: "retentionPolicy",
    label: "custom retention policy",
    rule: "R5",
    caveat: "sources disagree whether custom retention policies need an Enterprise CAL after Exchange 2013",
    sources: ["connectingUp"],
  },
};

/** Retention policies Exchange creates itself: assigning one is not a custom policy. */
export const DEFAULT_RETENTION_POLICIES: readonly string[] = ["Default MRM Policy", "Default Archive and Retention Policy", "ArbitrationMailbox"];
