import type { AuditReport, CalCount, Plan } from "./types";

/** The stable JSON report ("cals-audit/1"), documented in the README. */
export function reportToJson(report: AuditReport) {
  const counts = (p: Plan) => ({
    user: { ...p.user } as CalCount,
    device: { ...p.device } as CalCount,
    server: { standard: p.server.standard },
    connector: { standard: p.connector.standard },
  });
  const placement = (p: Plan) => (p.placement ? { placement: { ...p.placement } } : {});
  return {
    schema: "cals-audit/1" as const,
    asOf: report.asOf,
    source: {
      sheet: report.source.sheet,
      rowsRead: report.source.rowsRead,
      rowsUsed: report.source.rowsUsed,
      rowsRejected: report.source.rowsRejected,
    },
    mode: report.mode,
    plan: { ...counts(report.plan), cost: report.plan.cost, ...placement(report.plan) },
    plans: report.plans.map((e) => ({
      mode: e.plan.mode,
      label: e.label,
      chosen: e.chosen,
      ...counts(e.plan),
      cost: e.plan.cost,
      toBuyCost: e.position.toBuyCost,
      ...placement(e.plan),
    })),
    position: report.position.lines.map((l) => ({
      type: l.type,
      edition: l.edition,
      version: l.version,
      ...(l.server !== undefined ? { server: l.server } : {}),
      required: l.required,
      owned: l.owned,
      shortfall: l.shortfall,
      surplus: l.surplus,
      status: l.status,
      coveredBy: l.coveredBy.map((c) => ({ product: c.product, quantity: c.quantity })),
    })),
    status: report.status,
    toBuy: report.position.toBuy.map((t) => ({
      type: t.type,
      edition: t.edition,
      version: t.version,
      ...(t.server !== undefined ? { server: t.server } : {}),
      quantity: t.quantity,
      cost: t.cost,
    })),
    problems: report.problems.map((p) => ({ row: p.row, column: p.column, message: p.message, severity: p.severity, sheet: p.sheet })),
    // The JSON keeps its field name "coverage" (schema cals-audit/1): the exemption lines.
    coverage: report.exemptions,
    warnings: report.warnings,
    entitlements: report.position.entitlements.map((e) => ({
      row: e.row,
      product: e.product,
      type: e.type,
      quantity: e.quantity,
      reaches: { standard: e.standard, enterprise: e.enterprise },
      why: e.why,
      used: e.used,
      unused: e.unused,
    })),
    ...(report.search ? { search: { ...report.search } } : {}),
  };
}
