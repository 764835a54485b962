import * as fs from "fs";
import * as path from "path";
import { SAMPLE_INVENTORY, SAMPLE_OWNED, toCsv } from "../src/sample";
import { parseCsv } from "../src/files";

/**
 * assets/sample-*.csv are generated from src/sample/index.ts; this keeps them equal.
 * After editing the module: UPDATE_SAMPLES=1 npx jest test/sample.test.ts
 */
const FILES: [string, readonly (readonly string[])[]][] = [
  ["sample-inventory.csv", SAMPLE_INVENTORY],
  ["sample-owned.csv", SAMPLE_OWNED],
];

describe("sample data", () => {
  for (const [name, grid] of FILES) {
    const file = path.join(__dirname, "..", "assets", name);
    if (process.env.UPDATE_SAMPLES) fs.writeFileSync(file, toCsv(grid));

    test(`assets/${name} is the CSV of the sample module`, () => {
      expect(fs.readFileSync(file, "utf8")).toBe(toCsv(grid));
    });

    test(`assets/${name} reads back as the same grid`, () => {
      expect(parseCsv(fs.readFileSync(file, "utf8"))).toEqual(grid.map((r) => [...r]));
    });
  }

  test("the inventory is a realistic size and rectangular", () => {
    expect(SAMPLE_INVENTORY.length - 1).toBeGreaterThanOrEqual(60);
    expect(SAMPLE_INVENTORY.length - 1).toBeLessThanOrEqual(120);
    for (const row of SAMPLE_INVENTORY) expect(row).toHaveLength(SAMPLE_INVENTORY[0].length);
    for (const row of SAMPLE_OWNED) expect(row).toHaveLength(SAMPLE_OWNED[0].length);
  });
});
