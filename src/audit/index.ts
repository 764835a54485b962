/**
 * The licensing audit: an inventory grid in, a report out. It reads the inventory and the
 * owned-licences table (inventory.ts, owned.ts), applies the exemption rules (exemptions.ts),
 * prices the plans per user, per device and mixed (plans.ts), sets the licence position
 * against what is owned (position.ts) and writes the stable JSON (json.ts); audit.ts runs
 * the steps. The licensing facts come from src/licensing; how a sheet is read from
 * src/sheet; the min cut from src/solver and the threads from src/speed, which a
 * licensing change need not open.
 */
export * from "./types";
export { runAudit, auditInventory, checkAuditOptions } from "./audit";
export { reportToJson } from "./json";
export { AuditInputError, InventoryStream, readInventory } from "./inventory";
export { mixFromPairs } from "./mix";
export { positionTotals } from "./position";
export { readIsoDate } from "./dates";
