/*
 * The CALS.* custom functions. A thin face: each one reads its arguments (a data-type cell as
 * the value it shows, see values.ts), calls the pure licensing core and turns a LicensingError
 * into the Excel error with its message. Descriptions are one line each: Excel shows them as
 * written, so a line break in the JSDoc would be one in the formula tooltip.
 * The metadata plugin reads the JSDoc below to build functions.json and appends the
 * CustomFunctions.associate calls, so this file does not write them.
 * Parameters are typed `any` because the metadata plugin maps JSDoc {any} only to `any`;
 * every value is checked by the core before use.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { LicensingError, calsRequired, covers as calCovers, modesFor, VERSION_NAMES } from "../licensing";
import { mixFromPairs } from "../audit";
import { displayValue } from "./values";

function toExcelError(error: unknown): CustomFunctions.Error {
  if (error instanceof LicensingError) {
    const code = error.code === "#N/A" ? CustomFunctions.ErrorCode.notAvailable : CustomFunctions.ErrorCode.invalidValue;
    return new CustomFunctions.Error(code, error.message);
  }
  // Anything else is our bug: still an error in the cell, never a wrong number.
  return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, `CALS internal error: ${String(error)}`);
}

function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toExcelError(error);
  }
}

/**
 * The number of Exchange CALs needed for a licensing mode: per-user, one per user; per-device (per-seat on 5.5/2000), one per device; per-server (5.5/2000), users is the peak concurrent connections per server, times servers; best, the fewest of the modes the version offers.
 * @customfunction REQUIRED
 * @helpurl https://localhost:3000/help.html#calsrequired
 * @param {any} users Number of users who reach Exchange (for per-server: peak concurrent connections per server). Empty = 0.
 * @param {any} devices Number of devices that reach Exchange. Empty = 0.
 * @param {any} version Exchange version: 5.5, 2000, 2003, 2007, 2010, 2013, 2016, 2019 or SE.
 * @param {any} mode per-user, per-device, per-seat, per-server or best.
 * @param {any} [servers] Number of servers, for per-server licensing (default 1).
 * @returns {number} The CALs required.
 */
export function required(users: any, devices: any, version: any, mode: any, servers?: any): number {
  return guard(() =>
    calsRequired({
      users: displayValue(users, "users"),
      devices: displayValue(devices, "devices"),
      version: displayValue(version, "version"),
      mode: displayValue(mode, "mode"),
      servers: displayValue(servers, "servers"),
    }),
  );
}

/**
 * TRUE when a CAL of one version may be used to access a server of another: a CAL covers servers of its own version or older (down-version rights).
 * @customfunction COVERS
 * @helpurl https://localhost:3000/help.html#calscovers
 * @param {any} calVersion Version of the CAL, e.g. 2019.
 * @param {any} serverVersion Version of the Exchange server accessed, e.g. 2016.
 * @returns {boolean} TRUE when the CAL covers that server.
 */
export function covers(calVersion: any, serverVersion: any): boolean {
  return guard(() => calCovers(displayValue(calVersion, "calVersion"), displayValue(serverVersion, "serverVersion")));
}

/**
 * The Exchange versions CALS knows, oldest first, as a vertical list.
 * @customfunction VERSIONS
 * @helpurl https://localhost:3000/help.html#calsversions
 * @returns {string[][]} One version per row.
 */
export function versions(): string[][] {
  return VERSION_NAMES.map((v) => [v]);
}

/**
 * The licensing modes an Exchange version offers, as a vertical list (for data validation).
 * @customfunction MODES
 * @helpurl https://localhost:3000/help.html#calsmodes
 * @param {any} version Exchange version, e.g. 2016.
 * @returns {string[][]} One mode per row.
 */
export function modes(version: any): string[][] {
  return guard(() => modesFor(displayValue(version, "version")).map((m) => [m]));
}

/**
 * The cheapest mix of user and device CALs for a list of access pairs (who uses which device): exact, by a minimum cut. With equal prices, the fewest CALs.
 * @customfunction MIX
 * @helpurl https://localhost:3000/help.html#calsmix
 * @param {any[][]} users The user of each access (one column).
 * @param {any[][]} devices The device of each access (same size as users).
 * @param {any} [userPrice] Price of a user CAL (default 1).
 * @param {any} [devicePrice] Price of a device CAL (default 1).
 * @returns {number[][]} One row: user CALs, device CALs.
 */
export function mix(users: any[][], devices: any[][], userPrice?: any, devicePrice?: any): number[][] {
  return guard(() => {
    const m = mixFromPairs(
      users as never,
      devices as never,
      displayValue(userPrice, "userPrice"),
      displayValue(devicePrice, "devicePrice"),
      (cell, what, pair) => displayValue(cell, `The ${what} in pair ${pair}`) as never,
    );
    return [[m.userCals, m.deviceCals]];
  });
}
