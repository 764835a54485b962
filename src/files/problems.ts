/**
 * What the readers had to decide reaches the report: rows read with a caveat (a CSV quote
 * never closed), merged ranges in the sheets the audit used, and file-wide facts (an
 * encoding guessed). Added to the report's problems and warnings, never dropped.
 */
import { columnLetter } from "../sheet";
import type { AuditReport, Problem } from "../audit";
import type { InputFile, SheetGrid } from "./read";
import { rangeBounds } from "./xlsx";

/** The merge rule, said for one merged range of a sheet the audit read. */
export function mergeProblem(sheet: string, ref: string): Problem | undefined {
  const b = rangeBounds(ref);
  if (!b) return undefined;
  const topLeft = `${columnLetter(b.c0)}${b.r0 + 1}`;
  const rest =
    b.r1 > b.r0
      ? `rows ${b.r0 + 2}${b.r1 > b.r0 + 1 ? `-${b.r1 + 1}` : ""} read ${b.c1 > b.c0 ? `columns ${columnLetter(b.c0)}-${columnLetter(b.c1)}` : `column ${columnLetter(b.c0)}`} as blank`
      : `columns ${columnLetter(b.c0 + 1)}${b.c1 > b.c0 + 1 ? `-${columnLetter(b.c1)}` : ""} of row ${b.r0 + 1} read as blank`;
  return {
    sheet,
    row: b.r0 + 1,
    column: columnLetter(b.c0),
    message: `cells ${ref} are merged: the value counts in ${topLeft} only (as Excel gives it to add-ins), so ${rest}. If they mean the same value, unmerge the cells and fill each one.`,
    severity: "warning",
  };
}

/** The report with the readers' problems and warnings for the sheets it used. */
export function mergeProblems(report: AuditReport, input: InputFile, inventory: SheetGrid, owned?: SheetGrid): AuditReport {
  const used = [inventory, owned].filter((s): s is SheetGrid => !!s);
  const added: Problem[] = [...input.problems];
  for (const s of used) {
    added.push(...(s.problems ?? []));
    for (const ref of s.merges ?? []) {
      const p = mergeProblem(s.name, ref);
      if (p) added.push(p);
    }
  }
  if (added.length === 0 && input.warnings.length === 0) return report;
  // by sheet (in the order they first appear), then by row
  const all = [...report.problems, ...added];
  const order = new Map<string, number>();
  for (const p of all) if (!order.has(p.sheet)) order.set(p.sheet, order.size);
  const problems = all.sort((a, b) => order.get(a.sheet)! - order.get(b.sheet)! || a.row - b.row);
  return { ...report, problems, warnings: [...input.warnings, ...report.warnings] };
}
