import { readPrice, valueError } from "../licensing";
import { cellText, errorWords, isExcelError } from "../sheet";
import { minCostCover } from "../solver";
import { cents } from "./prices";
import type { Cell } from "../sheet";

interface Mix {
  userCals: number;
  deviceCals: number;
  cost: number;
}

/**
 * CALS.MIX's core: from two equal-length columns of access pairs, the minimum-cost mix of
 * user and device CALs (the same exact min cut as the audit). Blank pairs are skipped;
 * a pair with only one side must be covered by that side.
 */
/**
 * How a caller reads a cell that is an object (the custom functions: an Excel data-type value,
 * read as the value it shows). Called only for objects, so blank cells cost nothing. `pair` is 1-based.
 */
export type ReadObjectCell = (cell: object, what: "user" | "device", pair: number) => Cell;

export function mixFromPairs(
  users: readonly (readonly Cell[])[],
  devices: readonly (readonly Cell[])[],
  userPrice?: unknown,
  devicePrice?: unknown,
  readObject?: ReadObjectCell,
): Mix {
  const us = pairColumn(users);
  const ds = pairColumn(devices);
  if (us.size !== ds.size) {
    throw valueError(`users and devices must be ranges of the same size (got ${us.size} and ${ds.size} cells): each row is one user on one device.`);
  }
  const pu = readPrice(userPrice, "userPrice", 1);
  const pd = readPrice(devicePrice, "devicePrice", 1);
  const userIds = new Map<string, number>();
  const deviceIds = new Map<string, number>();
  const eu: number[] = [];
  const ed: number[] = [];
  for (let i = 0; i < us.size; i++) {
    let a = us.at(i);
    let b = ds.at(i);
    // A whole-column reference (=CALS.MIX(A:A, B:B)) is nearly all blank pairs: skip them first.
    if ((a === "" || a === null || a === undefined) && (b === "" || b === null || b === undefined)) continue;
    if (readObject && a !== null && typeof a === "object") a = readObject(a, "user", i + 1);
    if (readObject && b !== null && typeof b === "object") b = readObject(b, "device", i + 1);
    const u = cellText(a);
    const d = cellText(b);
    if (isExcelError(u)) throw valueError(`The user in pair ${i + 1} is ${errorWords(u)}.`);
    if (isExcelError(d)) throw valueError(`The device in pair ${i + 1} is ${errorWords(d)}.`);
    if (!u && !d) continue;
    eu.push(u ? idOf(userIds, u) : -1);
    ed.push(d ? idOf(deviceIds, d) : -1);
  }
  const cover = minCostCover({
    users: userIds.size,
    devices: deviceIds.size,
    edgeUser: Int32Array.from(eu),
    edgeDevice: Int32Array.from(ed),
    edgeEnterprise: new Uint8Array(eu.length),
    prices: { userStandard: cents(pu), userEnterprise: 1, deviceStandard: cents(pd), deviceEnterprise: 1 },
  });
  const userCals = count(cover.userStandard);
  const deviceCals = count(cover.deviceStandard);
  return { userCals, deviceCals, cost: (userCals * cents(pu) + deviceCals * cents(pd)) / 100 };
}

/**
 * A range's cells in reading order (row by row), without copying a one-column range: a
 * whole-column argument is a million one-cell rows, and copying them costs more than the rest.
 */
function pairColumn(range: readonly (readonly Cell[])[]): { size: number; at: (i: number) => Cell } {
  if (!Array.isArray(range)) return { size: 1, at: () => range as unknown as Cell };
  let oneColumn = true;
  for (let r = 0; r < range.length && oneColumn; r++) oneColumn = Array.isArray(range[r]) && range[r].length === 1;
  if (oneColumn) return { size: range.length, at: (i) => range[i][0] };
  const flat: Cell[] = [];
  for (const row of range) {
    if (Array.isArray(row)) for (const c of row) flat.push(c);
    else flat.push(row as unknown as Cell);
  }
  return { size: flat.length, at: (i) => flat[i] };
}

function idOf(ids: Map<string, number>, text: string): number {
  const key = text.toLowerCase();
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

function count(a: Uint8Array): number {
  let n = 0;
  for (const x of a) n += x;
  return n;
}
