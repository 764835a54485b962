/**
 * A licensing answer that cannot be given, with the Excel error it maps to and a message
 * that says why. Pure: the custom-functions face turns it into CustomFunctions.Error.
 * Excel shows a custom message only with #VALUE! and #N/A, so input errors use #VALUE!.
 */
type ExcelErrorCode = "#VALUE!" | "#NUM!" | "#N/A";

export class LicensingError extends Error {
  constructor(
    readonly code: ExcelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LicensingError";
  }
}

export function valueError(message: string): LicensingError {
  return new LicensingError("#VALUE!", message);
}
