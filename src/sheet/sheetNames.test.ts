import { cleanSheetName, freeSheetName, MAX_SHEET_NAME } from "./sheetNames";

describe("sheet names", () => {
  test("a free name is kept; a taken one (in any case) gets (2), (3)...", () => {
    expect(freeSheetName("CAL Summary", new Set(["inventory"]))).toBe("CAL Summary");
    expect(freeSheetName("CAL Summary", new Set(["cal summary"]))).toBe("CAL Summary (2)");
    expect(freeSheetName("CAL Summary", new Set(["cal summary", "cal summary (2)"]))).toBe("CAL Summary (3)");
  });

  test("a long name is cut to fit 31 characters with its suffix, without a space before it", () => {
    const long = "Assignments of all holders in the year";
    expect(freeSheetName(long, new Set())).toBe(long.slice(0, MAX_SHEET_NAME));
    const taken = new Set([long.slice(0, MAX_SHEET_NAME).toLowerCase()]);
    const second = freeSheetName(long, taken);
    expect(second).toBe("Assignments of all holders (2)");
    expect(second.length).toBeLessThanOrEqual(MAX_SHEET_NAME);
  });

  test("characters Excel refuses become spaces; quotes at the ends go; a blank name becomes Sheet", () => {
    expect(cleanSheetName("Q1/Q2: [draft]?")).toBe("Q1 Q2   draft");
    expect(cleanSheetName("'Owned'")).toBe("Owned");
    expect(cleanSheetName("  *  ")).toBe("Sheet");
  });
});
