import { LicensingMode, VERSIONS, VersionId } from "./versions";

/**
 * Forgiving parsers for what people type in cells. Case, spacing, "Microsoft",
 * "Server" and punctuation do not matter; anything unrecognised is reported, never guessed.
 */

/** What a mode argument may also say: "best" (cheapest valid mode) and "auto" (the audit's default). */
export type ModeChoice = LicensingMode | "best" | "auto";

export function normalise(text: string): string {
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

/** 2016, "2016", "Exchange Server 2016", "Exchange 15" (2013), "SE", "Subscription Edition". */
export function parseVersion(value: unknown): VersionId | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    return VERSION_BY_ALIAS.get(String(value));
  }
  if (typeof value !== "string") return undefined;
  const key = normalise(value);
  if (!key) return undefined;
  return VERSION_BY_ALIAS.get(key) ?? VERSION_BY_ALIAS.get(key.replace(/^exchange /, ""));
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
