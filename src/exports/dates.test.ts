import { dayOrder, parseDate, parseIsoDay } from ".";

const utc = (...a: [number, number, number, number?, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0);

test("dates as the exporting machine's culture prints them, and ISO, and Excel serials", () => {
  expect(parseDate("11/28/2026 3:04:05 PM")).toBe(utc(2026, 11, 28, 15, 4, 5));
  expect(parseDate("11/28/2026 12:10:00 AM")).toBe(utc(2026, 11, 28, 0, 10));
  expect(parseDate("28.11.2026 15:04:05")).toBe(utc(2026, 11, 28, 15, 4, 5));
  expect(parseDate("03/04/2026 10:00", "dmy")).toBe(utc(2026, 4, 3, 10));
  expect(parseDate("03/04/2026 10:00", "mdy")).toBe(utc(2026, 3, 4, 10));
  expect(parseDate("2026-11-28T15:04:05Z")).toBe(utc(2026, 11, 28, 15, 4, 5));
  expect(parseDate("2026-11-28T15:04:05+01:00")).toBe(utc(2026, 11, 28, 14, 4, 5));
  expect(parseDate(46354)).toBe(utc(2026, 11, 28));
  expect(parseDate("31/02/2026", "dmy")).toBeUndefined();
  expect(parseDate("never")).toBeUndefined();
  expect(parseDate("")).toBeUndefined();
});

test("a column's day order comes from the values that can be read only one way", () => {
  expect(dayOrder(["03/04/2026", "28/11/2026"])).toEqual({ order: "dmy", ambiguous: false });
  expect(dayOrder(["03/04/2026", "11/28/2026"])).toEqual({ order: "mdy", ambiguous: false });
  expect(dayOrder(["03/04/2026"])).toEqual({ order: "mdy", ambiguous: true });
  expect(dayOrder(["03.04.2026"])).toEqual({ order: "dmy", ambiguous: false });
});

test("the audit date is YYYY-MM-DD and a real day", () => {
  expect(parseIsoDay("2026-12-03")).toBe(utc(2026, 12, 3));
  expect(parseIsoDay("2026-02-30")).toBeUndefined();
  expect(parseIsoDay("3.12.2026")).toBeUndefined();
});
