import { LicensingMode, VERSIONS, VersionId } from "./versions";

/**
 * Forgiving parsers for what people type in cells. Case, spacing, "Microsoft",
 * "Server" and punctuation do not matter; anything unrecognised is reported, never guessed.
 */

/** What a mode argument may also say: "best" (cheapest valid mode) and "auto" (the audit's default). */
export type ModeChoice = LicensingMode | "best" | "auto";

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u00a0\s_]+/g, " ")
    .replace(/\bmicrosoft\b|\bms\b|\bserver\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const VERSION_BY_ALIAS = new Map<string, VersionId>();
for (const rule of VERSIONS) {
  for (const alias of [rule.id, ...rule.aliases]) VERSION_BY_ALIAS.set(normalise(alias), rule.id);
}

/**
 * 2016, "2016", "Exchange Server 2016", "Exchange 15" (2013), "SE", "Subscription Edition",
 * "Exchange 2016 CU23", and build numbers as Get-ExchangeServer prints them:
 * "Version 15.1 (Build 2507.6)" or "15.2.1544.4".
 */
export function parseVersion(value: unknown): VersionId | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    return VERSION_BY_ALIAS.get(String(value));
  }
  if (typeof value !== "string") return undefined;
  const key = normalise(value);
  if (!key) return undefined;
  const plain = key.replace(/\s+(cu|sp|ru)\s*\d+$|\s+rtm$/, "");
  return VERSION_BY_ALIAS.get(plain) ?? VERSION_BY_ALIAS.get(plain.replace(/^exchange /, "")) ?? parseBuild(plain);
}

/** "version 15.1 (build 2507.6)", "15.2.1544.4", "14.3" -> the version that build belongs to. */
function parseBuild(text: string): VersionId | undefined {
  const m = /^(?:exchange )?(?:version )?(\d+)\.(\d+)(?:\s*\(build (\d+)(?:\.\d+)?\)|\.(\d+)(?:\.\d+)?)?$/.exec(text);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const build = m[3] ?? m[4];
  // Newest first so that the SE build range wins over plain 15.2.
  for (let i = VERSIONS.length - 1; i >= 0; i--) {
    const b = VERSIONS[i].build;
    if (b.major !== major || (b.minor !== undefined && b.minor !== minor)) continue;
    if (b.fromBuild !== undefined && (build === undefined || Number(build) < b.fromBuild)) continue;
    return VERSIONS[i].id;
  }
  return undefined;
}

const MODE_WORDS: Record<string, ModeChoice> = {
  "per-user": "per-user",
  user: "per-user",
  users: "per-user",
  "per-device": "per-device",
  device: "per-device",
  devices: "per-device",
  "per-seat": "per-seat",
  seat: "per-seat",
  "per-server": "per-server",
  server: "per-server",
  mixed: "mixed",
  mix: "mixed",
  best: "best",
  cheapest: "best",
  auto: "auto",
};

/** per-user/user, per-device/device, per-seat, per-server/server, mixed, best, auto. */
export function parseMode(value: unknown): ModeChoice | undefined {
  if (typeof value !== "string") return undefined;
  const key = value
    .toLowerCase()
    .trim()
    .replace(/[\s_-]+/g, "-")
    .replace(/^per(?=[a-z])/, "per-");
  return MODE_WORDS[key];
}

export const MODE_NAMES: readonly string[] = ["per-user", "per-device", "mixed", "per-seat", "per-server", "best"];
export const VERSION_NAMES: readonly string[] = VERSIONS.map((v) => v.id);
