export * from "./types";
export { runAudit, auditInventory, checkAuditOptions } from "./audit";
export { reportToJson } from "./json";
export { AuditInputError, InventoryStream, readInventory, parseLicenseName } from "./inventory";
export { readOwned } from "./owned";
export { DEFAULT_PRICES } from "./prices";
export { findHeader, COLUMN_SYNONYMS } from "./header";
export { mixFromPairs } from "./mix";
export { INVENTORY_SHEET_NAMES, OWNED_SHEET_NAMES, findNamedSheet } from "./sheets";
