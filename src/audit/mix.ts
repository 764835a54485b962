import { readPrice, valueError } from "../licensing";
import { cellText, isExcelError } from "../sheet";
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
export function mixFromPairs(users: readonly (readonly Cell[])[], devices: readonly (readonly Cell[])[], userPrice?: unknown, devicePrice?: unknown): Mix {
  const flatUsers = flatten(users);
  const flatDevices = flatten(devices);
  if (flatUsers.length !== flatDevices.length) {
    throw valueError(
      `users and devices must be ranges of the same size (got ${flatUsers.length} and ${flatDevices.length} cells): each row is one user on one device.`,
    );
  }
  const pu = readPrice(userPrice, "userPrice", 1);
  const pd = readPrice(devicePrice, "devicePrice", 1);
  const userIds = new Map<string, number>();
  const deviceIds = new Map<string, number>();
  const eu: number[] = [];
  const ed: number[] = [];
  for (let i = 0; i < flatUsers.length; i++) {
    const u = cellText(flatUsers[i]);
    const d = cellText(flatDevices[i]);
    for (const [what, text] of [
      ["user", u],
      ["device", d],
    ] as const) {
      if (isExcelError(text)) throw valueError(`The ${what} in pair ${i + 1} is the Excel error ${text}.`);
    }
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

function flatten(range: readonly (readonly Cell[])[]): Cell[] {
  if (!Array.isArray(range)) return [range as unknown as Cell];
  const out: Cell[] = [];
  for (const row of range) {
    if (Array.isArray(row)) for (const c of row) out.push(c);
    else out.push(row as unknown as Cell);
  }
  return out;
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
