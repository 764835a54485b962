/**
 * Small random inventories and owned tables for the brute-force tests of plans, placement
 * and auto (src/audit/placement.test.ts, src/audit/autoSearch.test.ts), and the helpers
 * both brute forces share.
 */
import type { Grid } from "../../src/sheet";
import type { Requirement } from "../../src/audit";
import type { VersionId } from "../../src/licensing";

/** Versions as the audit orders them (index = rank - 1). */
export const ALL_VERSIONS: VersionId[] = ["5.5", "2000", "2003", "2007", "2010", "2013", "2016", "2019", "SE"];
export const MODERN: VersionId[] = ["2010", "2013", "2016", "2019", "SE"];

export interface AccessRow {
  user?: string;
  device?: string;
  version: VersionId;
  enterprise: boolean;
}

/** n rows over 3 users and 3 devices; some name only one side; a quarter use Enterprise features. */
export function randomRows(rnd: () => number, n: number): AccessRow[] {
  const rows: AccessRow[] = [];
  while (rows.length < n) {
    const hasUser = rnd() < 0.85;
    const hasDevice = rnd() < 0.8;
    if (!hasUser && !hasDevice) continue;
    rows.push({
      user: hasUser ? `u${Math.floor(rnd() * 3)}` : undefined,
      device: hasDevice ? `d${Math.floor(rnd() * 3)}` : undefined,
      version: MODERN[Math.floor(rnd() * MODERN.length)],
      enterprise: rnd() < 0.25,
    });
  }
  return rows;
}

/** Up to 4 owned lines (type, edition, version, quantity 0-2). */
export function randomOwned(rnd: () => number): (string | number)[][] {
  const lines: (string | number)[][] = [];
  for (let k = Math.floor(rnd() * 5); k > 0; k--) {
    lines.push([rnd() < 0.5 ? "User" : "Device", rnd() < 0.3 ? "Enterprise" : "Standard", MODERN[Math.floor(rnd() * MODERN.length)], Math.floor(rnd() * 3)]);
  }
  return lines;
}

export const accessGrid = (rows: AccessRow[]): Grid => [
  ["User", "Device", "Version", "Edition"],
  ...rows.map((r) => [r.user ?? "", r.device ?? "", r.version, r.enterprise ? "Enterprise" : "Standard"]),
];

export const ownedGrid = (lines: (string | number)[][]): Grid => [["Type", "Edition", "Version", "Quantity"], ...lines];

/** Requirements of one (type, edition, version) added up, as a plan lists them. */
export function mergeRequirements(list: Requirement[]): Requirement[] {
  const by = new Map<string, Requirement>();
  for (const r of list) {
    const key = `${r.type}|${r.edition}|${r.version}`;
    const m = by.get(key);
    if (m) m.quantity += r.quantity;
    else by.set(key, { ...r });
  }
  return [...by.values()];
}

/** The version (index into ALL_VERSIONS) each holder needs, Standard and Enterprise, when row k is placed on holder[k]. */
export function versionsHeld(rows: AccessRow[], holder: string[]): { std: Map<string, number>; ent: Map<string, number> } {
  const std = new Map<string, number>();
  const ent = new Map<string, number>();
  rows.forEach((r, k) => {
    const v = ALL_VERSIONS.indexOf(r.version);
    std.set(holder[k], Math.max(std.get(holder[k]) ?? -1, v));
    if (r.enterprise) ent.set(holder[k], Math.max(ent.get(holder[k]) ?? -1, v));
  });
  return { std, ent };
}
