import { CalType, USER_CAL_FROM, VERSIONS, VersionId, versionIndex } from "../licensing";
import { Cover, CoverPrices, CoverProblem, minCostCover } from "../solver";
import { coverPrices, costOf } from "./prices";
import type { BuyCost } from "./buyCost";
import { placeRows, PlacementStats } from "./placement";
import type { CalCount, Holding, HolderCount, Inventory, Plan, PlanMode, Prices, Requirement } from "./types";

/**
 * Inventory -> plan: which holder gets which CAL under one licensing mode. Every mode ends
 * as a cover (who holds a Standard / Enterprise CAL), then one shared step assigns each
 * row to the holder whose CAL covers it, and derives versions, counts and the ledger.
 */

const INDEX_2003 = versionIndex(USER_CAL_FROM);

type PlanResult = { ok: true; draft: PlanDraft } | { ok: false; mode: PlanMode; reason: string };

/** A plan plus what is needed to write its ledger later (only the chosen plan's is written). */
export interface PlanDraft {
  plan: Plan;
  holdings: () => Holding[];
  /** How the rows two holders both cover were placed (per-server plans have none). */
  placement?: PlacementStats;
}

/** Rows on 5.5/2000 servers cannot be covered by a user CAL: there was none (R2). */
function isOld(inv: Inventory, i: number): boolean {
  return inv.version[i] < INDEX_2003;
}

function isOldRow(inv: Inventory): (i: number) => boolean {
  return (i) => inv.version[i] < INDEX_2003;
}

function firstRow(inv: Inventory, test: (i: number) => boolean): number {
  for (let i = 0; i < inv.count; i++) if (test(i)) return i;
  return -1;
}

function versionName(inv: Inventory, i: number): string {
  return VERSIONS[inv.version[i]].id;
}

function emptyCover(inv: Inventory): Cover {
  return {
    userStandard: new Uint8Array(inv.users.length),
    userEnterprise: new Uint8Array(inv.users.length),
    deviceStandard: new Uint8Array(inv.devices.length),
    deviceEnterprise: new Uint8Array(inv.devices.length),
    cost: 0,
  };
}

function give(cover: Cover, kind: "user" | "device", id: number, enterprise: boolean): void {
  if (kind === "user") {
    cover.userStandard[id] = 1;
    if (enterprise) cover.userEnterprise[id] = 1;
  } else {
    cover.deviceStandard[id] = 1;
    if (enterprise) cover.deviceEnterprise[id] = 1;
  }
}

/** How a mixed plan's min cut is solved: minCostCover here, or on a worker (coverThread.ts). */
export type CoverSolver = (p: CoverProblem) => Cover;

/**
 * One plan of one mode. `buy` (the owned table, as BuyCost) decides where a row two holders
 * cover goes when it raises a version either way; without it, versions are kept lowest.
 */
export function buildPlan(
  inv: Inventory,
  mode: PlanMode,
  prices: Prices,
  solveWith?: CoverPrices,
  solve: CoverSolver = minCostCover,
  buy?: BuyCost,
): PlanResult {
  switch (mode) {
    case "per-user":
      return perUser(inv, prices, buy);
    case "per-device":
    case "per-seat":
      return perDevice(inv, mode, prices, buy);
    case "per-server":
      return perServer(inv, prices);
    case "mixed":
      return mixed(inv, prices, solveWith ?? coverPrices(prices), solve, buy);
  }
}

/** Every user with a row gets a user CAL; a device gets one only for a row that names no user. */
function perUser(inv: Inventory, prices: Prices, buy?: BuyCost): PlanResult {
  const old = firstRow(inv, (i) => inv.user[i] >= 0 && isOld(inv, i));
  if (old >= 0) {
    return {
      ok: false,
      mode: "per-user",
      reason: `row ${inv.row[old]} is on Exchange ${versionName(inv, old)}, which has no user CAL (user CALs came with ${USER_CAL_FROM}).`,
    };
  }
  const cover = emptyCover(inv);
  for (let i = 0; i < inv.count; i++) {
    if (inv.user[i] >= 0) give(cover, "user", inv.user[i], inv.enterprise[i] === 1);
    else give(cover, "device", inv.device[i], inv.enterprise[i] === 1);
  }
  return { ok: true, draft: fromCover(inv, "per-user", cover, prices, buy) };
}

/** Every device with a row gets a device CAL; a user gets one only for a row that names no device. */
function perDevice(inv: Inventory, mode: "per-device" | "per-seat", prices: Prices, buy?: BuyCost): PlanResult {
  if (mode === "per-seat") {
    const modern = firstRow(inv, (i) => !isOld(inv, i));
    if (modern >= 0) {
      return { ok: false, mode, reason: `per-seat is for Exchange 5.5 and 2000; row ${inv.row[modern]} is on ${versionName(inv, modern)}.` };
    }
  }
  const stuck = firstRow(inv, (i) => inv.device[i] < 0 && isOld(inv, i));
  if (stuck >= 0) {
    return {
      ok: false,
      mode,
      reason: `row ${inv.row[stuck]} names no device and is on Exchange ${versionName(inv, stuck)}, which has no user CAL.`,
    };
  }
  const cover = emptyCover(inv);
  for (let i = 0; i < inv.count; i++) {
    if (inv.device[i] >= 0) give(cover, "device", inv.device[i], inv.enterprise[i] === 1);
    else give(cover, "user", inv.user[i], inv.enterprise[i] === 1);
  }
  return { ok: true, draft: fromCover(inv, mode, cover, prices, buy) };
}

function mixed(inv: Inventory, prices: Prices, solveWith: CoverPrices, solve: CoverSolver, buy?: BuyCost): PlanResult {
  const stuck = firstRow(inv, (i) => inv.device[i] < 0 && isOld(inv, i));
  if (stuck >= 0) {
    return {
      ok: false,
      mode: "mixed",
      reason: `row ${inv.row[stuck]} names no device and is on Exchange ${versionName(inv, stuck)}, which has no user CAL.`,
    };
  }
  // Old rows lose their user end: only a device (per-seat) CAL can cover them. (The solver
  // only reads the users, so without such rows it takes the column as it is.)
  let edgeUser = inv.user;
  if (firstRow(inv, (i) => inv.user[i] >= 0 && isOld(inv, i)) >= 0) {
    edgeUser = new Int32Array(inv.count);
    for (let i = 0; i < inv.count; i++) edgeUser[i] = isOld(inv, i) ? -1 : inv.user[i];
  }
  const cover = solve({
    users: inv.users.length,
    devices: inv.devices.length,
    edgeUser,
    edgeDevice: inv.device,
    edgeEnterprise: inv.enterprise,
    prices: solveWith,
  });
  return { ok: true, draft: fromCover(inv, "mixed", cover, prices, buy) };
}

/** A mixed plan from a cover found elsewhere (auto's exact search): its rows placed as any plan's. */
export function mixedFromCover(inv: Inventory, cover: Cover, prices: Prices, buy?: BuyCost): PlanDraft {
  return fromCover(inv, "mixed", cover, prices, buy);
}

/** Rows on 5.5/2000 cannot use a user CAL (R2): the searches treat them as device-only. */
export { isOldRow };

/**
 * Place each row on ONE holder whose CAL covers it, then give each holder the newest version
 * among its rows (a CAL covers its own version and older, R7). Rows only one holder covers
 * go to it. A row both its user's and its device's CAL cover goes where it raises no
 * version; when it would raise one either way, where it costs least to buy given what is
 * owned (placement.ts, which also keeps every CAL of the cover holding at least one row).
 */
function fromCover(inv: Inventory, mode: PlanMode, cover: Cover, prices: Prices, buy?: BuyCost): PlanDraft {
  const U = inv.users.length;
  const placed = placeRows(inv, cover, isOldRow(inv), buy, (i) => `Internal error: the ${mode} plan leaves sheet row ${inv.row[i]} uncovered.`);
  const { holderOf, std: stdVersion, ent: entVersion } = placed;

  const user: CalCount = { standard: 0, enterprise: 0 };
  const device: CalCount = { standard: 0, enterprise: 0 };
  // CALs needed per (type, edition, version), counted in a small table: one cell per
  // combination, since a holder loop of this size should not build a key string per holder.
  const V = VERSIONS.length;
  const tally = new Int32Array(4 * V); // [user std, user ent, device std, device ent] x version
  for (let h = 0; h < stdVersion.length; h++) {
    if (stdVersion[h] < 0) continue;
    const isUser = h < U;
    const count = isUser ? user : device;
    const base = isUser ? 0 : 2 * V;
    count.standard++;
    tally[base + stdVersion[h]]++;
    if (entVersion[h] >= 0) {
      count.enterprise++;
      tally[base + V + entVersion[h]]++;
    }
  }
  const need: Requirement[] = [];
  const holders = holderCounts(stdVersion, entVersion, U);
  for (let k = 0; k < tally.length; k++) {
    if (tally[k] === 0) continue;
    const version = VERSIONS[k % V].id;
    const type = k < 2 * V ? "user" : "device";
    const edition = Math.floor(k / V) % 2 === 0 ? "standard" : "enterprise";
    need.push({ type, edition, version, quantity: tally[k] });
  }
  const cost = costOf([
    [user.standard, prices.userStandard],
    [user.enterprise, prices.userEnterprise],
    [device.standard, prices.deviceStandard],
    [device.enterprise, prices.deviceEnterprise],
  ]);
  const plan: Plan = {
    mode,
    user,
    device,
    server: { standard: 0 },
    connector: { standard: 0 },
    cost,
    requirements: sortRequirements(need),
    holdings: [],
    placement: placed.stats,
    holders,
  };
  const holdings = () => {
    const accessesOf = groupAccesses(inv, holderOf, stdVersion.length);
    const out: Holding[] = [];
    for (let h = 0; h < stdVersion.length; h++) {
      if (stdVersion[h] < 0) continue;
      const isUser = h < U;
      const name = isUser ? inv.users[h] : inv.devices[h - U];
      const type = isUser ? "user" : "device";
      const mine = accessesOf(h);
      out.push({ holder: type, name, type, edition: "standard", version: VERSIONS[stdVersion[h]].id, rows: sheetRows(inv, mine) });
      if (entVersion[h] >= 0) {
        const rows = sheetRows(inv, mine, (i) => inv.enterprise[i] === 1);
        out.push({ holder: type, name, type, edition: "enterprise", version: VERSIONS[entVersion[h]].id, rows });
      }
    }
    return out;
  };
  return { plan, holdings, placement: placed.stats };
}

/** Holders by type and (Standard, Enterprise) version: what the position's allocation of suites and plans needs. */
export function holderCounts(stdVersion: ArrayLike<number>, entVersion: ArrayLike<number>, users: number): HolderCount[] {
  const V = VERSIONS.length;
  const tally = new Int32Array(2 * V * (V + 1));
  for (let h = 0; h < stdVersion.length; h++) {
    if (stdVersion[h] < 0) continue;
    tally[((h < users ? 0 : 1) * V + stdVersion[h]) * (V + 1) + entVersion[h] + 1]++;
  }
  const out: HolderCount[] = [];
  tally.forEach((quantity, key) => {
    if (quantity === 0) return;
    const ent = (key % (V + 1)) - 1;
    const rest = Math.floor(key / (V + 1));
    out.push({ type: rest >= V ? "device" : "user", standard: VERSIONS[rest % V].id, ...(ent >= 0 ? { enterprise: VERSIONS[ent].id } : {}), quantity });
  });
  return out;
}

/** Access indexes of each holder, by counting sort (one pass, no per-row objects). */
function groupAccesses(inv: Inventory, holderOf: Int32Array, holders: number): (h: number) => Int32Array {
  const start = new Int32Array(holders + 1);
  for (let i = 0; i < inv.count; i++) start[holderOf[i] + 1]++;
  for (let h = 0; h < holders; h++) start[h + 1] += start[h];
  const fill = start.slice(0, holders);
  const order = new Int32Array(inv.count);
  for (let i = 0; i < inv.count; i++) order[fill[holderOf[i]]++] = i;
  return (h) => order.subarray(start[h], start[h + 1]);
}

function sheetRows(inv: Inventory, accesses: Int32Array, only?: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (const i of accesses) if (!only || only(i)) out.push(inv.row[i]);
  return out;
}

/**
 * Per-server (5.5/2000): each server needs a CAL per distinct connecting device (the user
 * where no device is recorded); CALs are tied to their server, so the counts add up (R3).
 */
function perServer(inv: Inventory, prices: Prices): PlanResult {
  const modern = firstRow(inv, (i) => !isOld(inv, i));
  if (modern >= 0) {
    return {
      ok: false,
      mode: "per-server",
      reason: `per-server licensing ended with Exchange 2000; row ${inv.row[modern]} is on ${versionName(inv, modern)}.`,
    };
  }
  const noServer = firstRow(inv, (i) => inv.server[i] < 0);
  if (noServer >= 0) {
    return { ok: false, mode: "per-server", reason: `per-server CALs belong to a server; row ${inv.row[noServer]} names no server.` };
  }
  const D = inv.devices.length;
  const pairs = new Map<number, number>(); // server * (D + U) + client -> pair id
  const pairServer: number[] = [];
  const pairClient: number[] = [];
  const pairVersion: number[] = [];
  const pairOf = new Int32Array(inv.count);
  const clients = D + inv.users.length;
  for (let i = 0; i < inv.count; i++) {
    const client = inv.device[i] >= 0 ? inv.device[i] : D + inv.user[i];
    const key = inv.server[i] * clients + client;
    let p = pairs.get(key);
    if (p === undefined) {
      p = pairServer.length;
      pairs.set(key, p);
      pairServer.push(inv.server[i]);
      pairClient.push(client);
      pairVersion.push(inv.version[i]);
    } else if (inv.version[i] > pairVersion[p]) pairVersion[p] = inv.version[i];
    pairOf[i] = p;
  }
  // A server's CALs are of that server's version (the newest any row records for it).
  const serverVersion = new Int16Array(inv.servers.length).fill(-1);
  for (let p = 0; p < pairServer.length; p++) serverVersion[pairServer[p]] = Math.max(serverVersion[pairServer[p]], pairVersion[p]);
  const perServerCount = new Int32Array(inv.servers.length);
  for (let p = 0; p < pairServer.length; p++) perServerCount[pairServer[p]]++;
  const requirements: Requirement[] = [];
  for (let s = 0; s < inv.servers.length; s++) {
    if (perServerCount[s] === 0) continue;
    requirements.push({ type: "server", edition: "standard", version: VERSIONS[serverVersion[s]].id, server: inv.servers[s], quantity: perServerCount[s] });
  }
  const total = pairServer.length;
  const plan: Plan = {
    mode: "per-server",
    user: { standard: 0, enterprise: 0 },
    device: { standard: 0, enterprise: 0 },
    server: { standard: total },
    connector: { standard: 0 },
    cost: costOf([[total, prices.server]]),
    requirements: sortRequirements(requirements),
    holdings: [],
  };
  const holdings = () => {
    const accessesOf = groupAccesses(inv, pairOf, total);
    const out: Holding[] = [];
    for (let p = 0; p < total; p++) {
      const c = pairClient[p];
      const isDevice = c < D;
      out.push({
        holder: isDevice ? "device" : "user",
        name: isDevice ? inv.devices[c] : inv.users[c - D],
        type: "server",
        edition: "standard",
        version: VERSIONS[serverVersion[pairServer[p]]].id,
        rows: sheetRows(inv, accessesOf(p)),
        server: inv.servers[pairServer[p]],
      });
    }
    return out;
  };
  return { ok: true, draft: { plan, holdings } };
}

const TYPE_ORDER: Record<CalType, number> = { user: 0, device: 1, server: 2, connector: 3 };

export function sortRequirements<T extends { type: CalType; edition: string; version: VersionId; server?: string }>(list: T[]): T[] {
  const rank = (v: VersionId) => VERSIONS.findIndex((x) => x.id === v);
  return list.sort(
    (a, b) =>
      TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
      (a.edition === b.edition ? 0 : a.edition === "standard" ? -1 : 1) ||
      rank(b.version) - rank(a.version) ||
      (a.server ?? "").localeCompare(b.server ?? ""),
  );
}
