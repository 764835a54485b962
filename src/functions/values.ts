/*
 * Data-type cells as the functions read them. functions.json asks Excel for data types
 * (allowCustomDataForDataTypeAny), so a cell holding an entity, a linked data type (Stocks,
 * Geography, Organization people), a formatted number or a data-type error arrives as a JSON
 * object, not a plain value. Each becomes the value the cell shows: an entity its text, a
 * formatted number its number, an error its "#..." code. What has no such value (a picture)
 * is a #VALUE! error that says which argument, never "[object Object]" and never a wrong count.
 */
import { valueError } from "../licensing";

/** The shape shared by Excel's CellValue JSON objects (ExcelApi 1.16 data types). */
interface CellValueJson {
  type?: unknown;
  text?: unknown;
  basicValue?: unknown;
}

const PLAIN = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The value a data-type cell shows; plain values pass through unchanged. `where` names the argument for the error. */
export function displayValue(value: unknown, where: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const cell = value as CellValueJson;
  switch (cell.type) {
    case "Entity":
    case "LinkedEntity":
      // Their basicValue is "#VALUE!"; what the cell shows is the text.
      if (typeof cell.text === "string") return cell.text;
      break;
    case "WebImage":
    case "LocalImage":
    case "Array":
    case "Reference":
    case "Function":
      throw valueError(
        `${where} is a ${String(cell.type) === "Array" ? "list" : "picture or link"} data type, not a value CALS can read: point it at a cell with text or a number.`,
      );
    case "Error":
      throw valueError(`${where} is the Excel error ${PLAIN(cell.basicValue) ? String(cell.basicValue) : "#VALUE!"}.`);
    default:
      // String, Double, Boolean, FormattedNumber, Empty, ValueTypeNotAvailable.
      if (PLAIN(cell.basicValue)) return cell.basicValue;
      if (cell.type === "Empty") return "";
      if (typeof cell.text === "string") return cell.text;
  }
  throw valueError(
    `${where} holds a data type CALS cannot read${typeof cell.type === "string" ? ` (${cell.type})` : ""}: point it at a cell with text or a number.`,
  );
}
