/**
 * What the pane shows after an audit, computed from the report (pure: tested without a DOM).
 */
import type { AuditReport, Problem } from "../audit";
import { STATUS_WORD } from "../report";

interface ResultSummary {
  status: AuditReport["status"];
  /** The status in words, as on the CAL Summary sheet. */
  word: string;
  sentence: string;
  required: number;
  owned: number;
  short: number;
  surplus: number;
  cost: number;
  examplePrices: boolean;
}

export function resultSummary(report: AuditReport): ResultSummary {
  const { totals } = report.position;
  const short = totals.shortfall;
  const compliant = report.status === "compliant";
  return {
    status: report.status,
    word: STATUS_WORD[report.status],
    sentence: compliant
      ? "Every CAL the inventory needs is owned."
      : `${formatCount(short)} CAL${short === 1 ? " is" : "s are"} missing. The CAL Summary sheet lists what to buy.`,
    required: totals.required,
    owned: totals.owned,
    short,
    surplus: totals.surplus,
    cost: report.position.toBuyCost,
    examplePrices: report.pricesAreDefaults !== false,
  };
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function formatMoney(n: number): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** One line per problem, for the list: where, then what. */
export function problemLabel(p: Problem): { where: string; what: string } {
  return { where: `${p.sheet} row ${p.row}${p.column ? `, ${p.column}` : ""}`, what: p.message };
}

/** The modes, with the one-line explanation shown under the select. */
export const MODE_HELP: Record<string, string> = {
  auto: "Compares per user, per device and mixed (and per seat / per server for 5.5 and 2000), then picks the plan with the lowest cost to buy.",
  "per-user": "Every person who connects needs a user CAL; it covers all their devices (laptop, phone, OWA).",
  "per-device": "Every device that connects needs a device CAL; it covers everyone who uses it (kiosks, shared PCs).",
  mixed: "Each access is covered by a user CAL or a device CAL, whichever mix costs least.",
  "per-seat": "Exchange 5.5 and 2000: a CAL per device (seat), valid on every server.",
  "per-server": "Exchange 5.5 and 2000: each server needs CALs for its concurrent connections; not shared between servers.",
};

/** Cleans a typed price: "1,250.00 $" -> "1250.00"; empty -> undefined (example price). */
export function cleanPrice(text: string): string | undefined {
  // Passed on as typed: the core reads "82,50" and "1.234,50" alike, and refuses, in its own
  // words, what it cannot read unambiguously.
  const t = text.trim();
  return t === "" ? undefined : t;
}
