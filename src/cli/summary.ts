/**
 * The command line's readable summary of an audit report: plain text, fixed-width tables.
 * Formatting only: every number comes from the report.
 */
import type { AuditReport, Problem } from "../audit";
import { calTypeName, editionName, groupThousands, modeName } from "../report";
import { LINE_STATUS_WORD, STATUS_WORD } from "../report";

interface SummaryOptions {
  /** The input file as the user named it. */
  file: string;
  /** Where the workbook was written, with the sheet names it got. */
  written?: { out: string; sheets: string[] };
  /** ANSI colour for the status (stdout is a terminal and NO_COLOR is not set). */
  color?: boolean;
  /** How many problems to list (the rest are counted). */
  maxProblems?: number;
}

type Align = "l" | "r";

/** A fixed-width table: columns padded to their widest cell. */
function table(headers: string[], rows: string[][], align: Align[], indent = "  "): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (align[i] === "r" ? (c ?? "").padStart(widths[i]) : (c ?? "").padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), indent + widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

const n = (x: number) => groupThousands(x);
const money = (x: number) => groupThousands(x, 2);

/** One line per problem, errors first, sheet row and column named. */
function problemLine(p: Problem): string {
  const where = `${p.sheet ? `${p.sheet} ` : ""}row ${p.row}${p.column ? `, ${p.column}` : ""}`;
  return `${p.severity === "error" ? "error  " : "warning"}  ${where}: ${oneLine(p.message)}`;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function oneLine(s: string): string {
  // Problem text may quote cell contents: keep the summary one line per problem and free of
  // terminal control characters.
  return String(s)
    .replace(/[\r\n\t]+/g, " ")
    .replace(CONTROL, "?");
}

export function formatSummary(report: AuditReport, options: SummaryOptions): string {
  const paint = (text: string, code: number) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out = [
    ...headLines(report, options.file, paint),
    ...positionLines(report),
    ...planLines(report),
    ...toBuyLines(report),
    ...exemptionLines(report),
    ...problemLines(report, options),
  ];
  for (const w of report.warnings) out.push(`Warning: ${oneLine(w)}`);
  if (report.warnings.length > 0) out.push("");

  if (options.written) out.push(`Workbook written: ${options.written.out} (added sheets: ${options.written.sheets.join(", ")})`);
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.join("\n") + "\n";
}

/** The file, the rows, the owned table, the mode and the status. */
function headLines(report: AuditReport, file: string, paint: (text: string, code: number) => string): string[] {
  const out: string[] = [];
  const src = report.source;
  out.push(`CALS audit of ${file}, sheet "${src.sheet}" (header on row ${src.headerRow})`);
  out.push(`Rows: ${n(src.rowsRead)} read, ${n(src.rowsUsed)} used, ${n(src.rowsRejected)} rejected`);
  if (report.owned.sheet !== null) out.push(`Owned licences: ${n(report.owned.lines)} line(s) from "${report.owned.sheet}"`);
  else out.push("Owned licences: none given (everything required counts as to buy)");
  const modeNote =
    report.requestedMode === "auto" ? `, chosen automatically: the cheapest to buy, given what is owned, of the ${report.plans.length} plans compared` : "";
  out.push(`Mode: ${modeName(report.mode)}${modeNote}`);
  const statusWord = STATUS_WORD[report.status] ?? String(report.status).toUpperCase();
  out.push(`Status: ${paint(statusWord, report.status === "compliant" ? 32 : 31)}`);
  out.push("");
  return out;
}

/** The licence position: required, owned, shortfall and surplus per CAL. */
function positionLines(report: AuditReport): string[] {
  const out: string[] = [];
  out.push("Licence position");
  const pos = report.position.lines;
  if (pos.length === 0) out.push("  (no CALs required)");
  else
    out.push(
      ...table(
        ["Type", "Edition", "Version", "Required", "Owned", "Shortfall", "Surplus", "Status"],
        pos.map((l) => [
          calTypeName(l.type),
          editionName(l.edition),
          l.server ? `${l.version} (${l.server})` : String(l.version),
          n(l.required),
          n(l.owned),
          n(l.shortfall),
          n(l.surplus),
          LINE_STATUS_WORD[l.status] ?? l.status,
        ]),
        ["l", "l", "l", "r", "r", "r", "r", "l"],
      ),
    );
  for (const note of report.position.notes ?? []) out.push(`  Note: ${oneLine(note)}`);
  out.push("");
  return out;
}

/** The plans compared, the chosen one marked, and the modes not possible. */
function planLines(report: AuditReport): string[] {
  const out: string[] = [];
  if (report.plans.length > 0) {
    // per-server CALs and External Connectors only where some plan has them
    const showServer = report.plans.some((e) => e.plan.server.standard > 0);
    const showConnector = report.plans.some((e) => (e.plan.connector?.standard ?? 0) > 0);
    const headers = ["", "Plan", "User CALs", "Device CALs"];
    const align: Align[] = ["l", "l", "r", "r"];
    if (showServer) (headers.push("Per-server"), align.push("r"));
    if (showConnector) (headers.push("Ext. Connectors"), align.push("r"));
    headers.push("Plan cost", "Cost to buy");
    align.push("r", "r");
    const rows = report.plans.map((e) => {
      const row = [
        e.chosen ? "*" : "",
        e.label || modeName(e.plan.mode),
        `${n(e.plan.user.standard)} (${n(e.plan.user.enterprise)} Ent)`,
        `${n(e.plan.device.standard)} (${n(e.plan.device.enterprise)} Ent)`,
      ];
      if (showServer) row.push(n(e.plan.server.standard));
      if (showConnector) row.push(n(e.plan.connector?.standard ?? 0));
      row.push(money(e.plan.cost), money(e.position.toBuyCost));
      return row;
    });
    out.push("Plans compared (user / device CALs: Standard, of which Enterprise)");
    out.push(...table(headers, rows, align));
    out.push("  * the plan the audit chose");
    for (const s of report.skipped ?? []) out.push(`  Not possible: ${modeName(s.mode)}: ${oneLine(s.reason)}`);
    out.push("");
  }
  return out;
}

/** What to buy, and the value of the surplus. */
function toBuyLines(report: AuditReport): string[] {
  const out: string[] = [];
  const toBuy = report.position.toBuy;
  if (toBuy.length > 0) {
    out.push(`To buy (total ${money(report.position.toBuyCost)})`);
    out.push(
      ...table(
        ["Quantity", "Type", "Edition", "Version", "Unit price", "Cost"],
        toBuy.map((t) => [
          n(t.quantity),
          calTypeName(t.type),
          editionName(t.edition),
          t.server ? `${t.version} (${t.server})` : String(t.version),
          money(t.unitPrice),
          money(t.cost),
        ]),
        ["r", "l", "l", "l", "r", "r"],
      ),
    );
  } else {
    out.push("To buy: nothing");
  }
  if (report.position.surplusValue > 0) out.push(`Surplus owned CALs worth ${money(report.position.surplusValue)}`);
  out.push("");
  return out;
}

/** Rows exempt or covered elsewhere, by rule. */
function exemptionLines(report: AuditReport): string[] {
  const out: string[] = [];
  if (report.exemptions.length > 0) {
    out.push("Exempt and covered elsewhere");
    out.push(
      ...table(
        ["Rows", "Holders", "Reason"],
        report.exemptions.map((c) => [n(c.rows), n(c.holders), oneLine(c.reason)]),
        ["r", "r", "l"],
      ),
    );
    out.push("");
  }
  return out;
}

/** The first problems, errors first, and where to find the rest. */
function problemLines(report: AuditReport, options: SummaryOptions): string[] {
  const out: string[] = [];
  const problems = [...report.problems].sort((a, b) => (a.severity === b.severity ? a.row - b.row : a.severity === "error" ? -1 : 1));
  if (problems.length > 0) {
    const errors = problems.filter((p) => p.severity === "error").length;
    const max = options.maxProblems ?? 10;
    out.push(`Problems: ${n(errors)} error(s), ${n(problems.length - errors)} warning(s)`);
    for (const p of problems.slice(0, max)) out.push(`  ${problemLine(p)}`);
    if (problems.length > max) {
      const where = options.written ? `the ${problemsSheet(options.written.sheets)} sheet` : "--json or --out";
      out.push(`  … and ${n(problems.length - max)} more (see ${where})`);
    }
    out.push("");
  }
  return out;
}

function problemsSheet(sheets: string[]): string {
  return sheets.find((s) => /problems/i.test(s)) ?? "problems";
}
