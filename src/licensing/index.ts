/**
 * The licensing rules, as data with their sources: one row per Exchange version and what it
 * allows (versions.ts), access that needs no CAL or is licensed another way (exemptions.ts),
 * the CAL counts the custom functions answer (required.ts, counts.ts), and forgiving parsers
 * for what people type (parse.ts), and which mailboxes create CAL demand and which of
 * their properties mark Enterprise use (mailboxes.ts). The only place a licensing fact lives; no Office, no I/O.
 */
export * from "./versions";
export * from "./parse";
export * from "./errors";
export * from "./counts";
export * from "./required";
export * from "./exemptions";
export * from "./mailboxes";
export * from "./entitlements";
