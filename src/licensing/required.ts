import { readCount } from "./counts";
import { LicensingError, valueError } from "./errors";
import { MODE_NAMES, ModeChoice, VERSION_NAMES, parseMode, parseVersion } from "./parse";
import { LicensingMode, USER_CAL_FROM, VersionId, VersionRule, calCovers, versionRule } from "./versions";

/** The version argument, or an error naming what is accepted. */
function requireVersion(value: unknown): VersionRule {
  const id = parseVersion(value);
  if (!id) {
    throw valueError(
      `Unknown Exchange version ${value === "" || value == null ? "(empty)" : `"${String(value)}"`}. ` +
        `Use one of ${VERSION_NAMES.join(", ")} (or "Exchange Server 2016", "Exchange 15" for 2013, "Subscription Edition").`,
    );
  }
  return versionRule(id);
}

function requireMode(value: unknown): ModeChoice {
  const mode = parseMode(value);
  if (!mode) {
    throw valueError(`Unknown licensing mode ${value === "" || value == null ? "(empty)" : `"${String(value)}"`}. Use one of ${MODE_NAMES.join(", ")}.`);
  }
  return mode;
}

/**
 * The licensing mode a version really applies for a requested one. 5.5/2000 per-seat CALs
 * are per device, so "per-device" there means per-seat. Everything else must be offered.
 */
export function resolveMode(rule: VersionRule, mode: LicensingMode): LicensingMode {
  if (mode === "per-device" && rule.modes.includes("per-seat")) return "per-seat";
  if (rule.modes.includes(mode)) return mode;
  throw valueError(`${modeRefusal(rule, mode)} ${rule.name} offers ${rule.modes.join(", ")}.`);
}

function modeRefusal(rule: VersionRule, mode: LicensingMode): string {
  switch (mode) {
    case "per-user":
      // R2: the seed column says 2000 had a per-user licence; the terms say otherwise.
      return `User CALs came with Exchange ${USER_CAL_FROM}; ${rule.id}'s per-seat CALs are per device (one CAL per device).`;
    case "per-server":
      return `Per-server licensing ended with Exchange 2000; from 2003 every user or device needs its own CAL.`;
    case "per-seat":
      return `Per-seat is the 5.5/2000 name for device CALs; from 2003 use per-device.`;
    case "mixed":
      return `Mixing user and device CALs came with Exchange ${USER_CAL_FROM}, with the user CAL.`;
    default:
      return `${mode} is not offered for ${rule.name}.`;
  }
}

interface RequiredInput {
  users: unknown;
  devices: unknown;
  version: unknown;
  mode: unknown;
  servers?: unknown;
}

/**
 * CALs needed from two counts. per-user: users; per-device/per-seat: devices;
 * per-server (5.5/2000): `users` is the peak concurrent connections to EACH server, times
 * servers, because per-server CALs are tied to one server (R3). best: the cheapest of the
 * count-based modes the version offers. mixed needs the access pairs (CALS.MIX).
 */
export function calsRequired(input: RequiredInput): number {
  const rule = requireVersion(input.version);
  const choice = requireMode(input.mode);
  const users = readCount(input.users, "users");
  const devices = readCount(input.devices, "devices");
  const servers = input.servers === undefined || input.servers === null || input.servers === "" ? 1 : readCount(input.servers, "servers");
  if (choice === "mixed") {
    throw valueError("mixed needs the access pairs (which user uses which device), not two counts: use CALS.MIX(users, devices) on the access ranges.");
  }
  const count = (mode: LicensingMode): number => {
    switch (resolveMode(rule, mode)) {
      case "per-user":
        return users;
      case "per-device":
      case "per-seat":
        return devices;
      case "per-server":
        return users * servers;
      default:
        throw new LicensingError("#VALUE!", `${mode} cannot be counted from totals.`);
    }
  };
  if (choice === "best" || choice === "auto") {
    const candidates = rule.modes.filter((m) => m !== "mixed").map(count);
    return Math.min(...candidates);
  }
  return count(choice);
}

/** The modes a version offers, for data-validation lists. */
export function modesFor(version: unknown): LicensingMode[] {
  return [...requireVersion(version).modes];
}

export function covers(calVersion: unknown, serverVersion: unknown): boolean {
  return calCovers(requireVersion(calVersion).id, requireVersion(serverVersion).id);
}

export type { VersionId };
