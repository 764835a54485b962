/**
 * The inventory builder: from Exchange's own exports (Get-Mailbox, Get-MobileDevice[Statistics],
 * Get-ExchangeServer / Get-MailboxDatabase, any user-and-computer logon list, and IIS W3C
 * logs reduced by W3cReducer) to the inventory `cals audit` reads, with every row's source
 * and every row left out listed with its reason. Pure: grids and text in, tables out; the
 * licensing facts it applies (mailbox types, Enterprise features) live in src/licensing.
 */
export { buildInventory, DEFAULT_ACTIVE_DAYS } from "./join";
export { W3cReducer, deviceId } from "./iis";
export type { W3cFile } from "./iis";
export { ExportFormatError, canonicalName, exportKind, splitDeviceIdentity } from "./readers";
export type { ExportKind } from "./readers";
export { inventoryGrid, excludedGrid, buildSummary, sourceText, INVENTORY_HEADER, EXCLUDED_HEADER } from "./output";
export { parseDate, parseIsoDay, isoDay, dayOrder } from "./dates";
export { isTypeName, foldedKey } from "./table";
export type { Origin } from "./table";
export type * from "./types";
