import { isoDay } from "./dates";
import type { Origin } from "./table";
import type { BuildResult } from "./types";

/**
 * The build as tables of text, for a CSV, a workbook or a sheet: the inventory in the format
 * `cals audit` reads (User, Device, Server, Version, Edition), plus Last seen, Source and
 * Details, which the audit passes over; and the excluded list.
 */

export const INVENTORY_HEADER = ["User", "Device", "Server", "Version", "Edition", "Last seen", "Source", "Details"] as const;
export const EXCLUDED_HEADER = ["Source", "Row", "Left out", "Reason"] as const;

/** Rows listed per source before "and N more". */
const ROWS_SHOWN = 4;

/** "mailboxes.csv row 5; iis/EX01/u_ex261201.log line 40; logons.csv rows 3, 7". */
export function sourceText(origins: readonly Origin[]): string {
  const bySource = new Map<string, number[]>();
  for (const o of origins) {
    const rows = bySource.get(o.source) ?? [];
    if (!rows.includes(o.row)) rows.push(o.row);
    bySource.set(o.source, rows);
  }
  return [...bySource]
    .map(([source, rows]) => {
      const unit = /\.log$/i.test(source) ? "line" : "row";
      const shown = rows.slice(0, ROWS_SHOWN).join(", ");
      const more = rows.length > ROWS_SHOWN ? ` and ${rows.length - ROWS_SHOWN} more` : "";
      return `${source} ${unit}${rows.length > 1 ? "s" : ""} ${shown}${more}`;
    })
    .join("; ");
}

export function inventoryGrid(result: BuildResult): string[][] {
  const rows: string[][] = [[...INVENTORY_HEADER]];
  for (const r of result.rows) {
    rows.push([r.user, r.device, r.server, r.version, r.edition, r.lastSeen, sourceText(r.origins), r.details.join("; ")]);
  }
  return rows;
}

export function excludedGrid(result: BuildResult): string[][] {
  const rows: string[][] = [[...EXCLUDED_HEADER]];
  for (const e of result.excluded) rows.push([e.origin.source, String(e.origin.row), e.item, e.reason]);
  return rows;
}

/** What the build did, in a few lines for a terminal or the pane. */
export function buildSummary(result: BuildResult): string[] {
  const users = new Set(result.rows.map((r) => r.user.toLowerCase()));
  const devices = new Set(result.rows.filter((r) => r.device).map((r) => r.device.toLowerCase()));
  const enterprise = new Set(result.rows.filter((r) => r.edition === "Enterprise").map((r) => r.user.toLowerCase()));
  const noVersion = result.rows.filter((r) => !r.version).length;
  const lines = [
    `Inventory: ${result.rows.length} row(s): ${users.size} user(s), ${devices.size} device(s), ${enterprise.size} user(s) with Enterprise features.`,
    `Left out, each with its reason: ${result.excluded.length}.`,
    `Activity counted from ${isoDay(result.asOf - result.activeDays * 86_400_000)} to the audit date ${isoDay(result.asOf)} (${result.activeDays} days).`,
  ];
  if (noVersion) lines.push(`${noVersion} row(s) have no version (see Details); the audit reports them unless given --version.`);
  return lines;
}
