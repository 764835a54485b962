import {
  CURRENT_VERSION,
  VERSIONS,
  calCovers,
  calsRequired,
  parseMode,
  parseVersion,
  resolveMode,
  versionRule,
  LicensingError,
  readCount,
  readPrice,
  parseAmount,
} from ".";
import { SOURCES } from "./sources";

describe("the licensing table", () => {
  test("lists every version once, in order of rank", () => {
    expect(VERSIONS.map((v) => v.id)).toEqual(["5.5", "2000", "2003", "2007", "2010", "2013", "2016", "2019", "SE"]);
    const ranks = VERSIONS.map((v) => v.rank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  test("every row cites a source that exists", () => {
    for (const v of VERSIONS) {
      expect(v.sources.length).toBeGreaterThan(0);
      for (const s of v.sources) expect(SOURCES[s]).toBeDefined();
    }
  });

  test("R2: 2000 has per-seat (device) and per-server, no user CAL; 2003 adds the user CAL", () => {
    expect(versionRule("2000").modes).toEqual(["per-seat", "per-server"]);
    expect(versionRule("2000").calTypes).not.toContain("user");
    expect(versionRule("2003").calTypes).toEqual(["user", "device", "connector"]);
    expect(versionRule("2013").calTypes).toEqual(["user", "device"]);
    expect(versionRule("2003").modes).toContain("mixed");
  });

  test("R4: Enterprise CALs exist from 2007", () => {
    const withEnterprise = VERSIONS.filter((v) => v.editions.includes("enterprise")).map((v) => v.id);
    expect(withEnterprise).toEqual(["2007", "2010", "2013", "2016", "2019", "SE"]);
  });

  test("R8/R9: SE needs a subscription; external users by version", () => {
    expect(VERSIONS.filter((v) => v.needsSubscription).map((v) => v.id)).toEqual(["SE"]);
    expect(versionRule("2010").externalUsers).toBe("cal-or-connector");
    expect(versionRule("2013").externalUsers).toBe("with-server");
    expect(versionRule("SE").externalUsers).toBe("with-server-enterprise-needs-cals");
    expect(CURRENT_VERSION).toBe("SE");
  });

  test("R7: a CAL covers its own version and older only", () => {
    for (const cal of VERSIONS) {
      for (const server of VERSIONS) {
        expect(calCovers(cal.id, server.id)).toBe(cal.rank >= server.rank);
      }
    }
  });
});

describe("parseVersion", () => {
  test.each([
    [2016, "2016"],
    ["2016", "2016"],
    ["Exchange 2016", "2016"],
    ["Exchange Server 2016", "2016"],
    ["Microsoft Exchange Server 2019", "2019"],
    ["Exchange 15", "2013"],
    ["exchange server 15", "2013"],
    ["SE", "SE"],
    ["se", "SE"],
    ["Subscription Edition", "SE"],
    ["Exchange Server Subscription Edition", "SE"],
    [5.5, "5.5"],
    ["5.5", "5.5"],
    ["  EXCHANGE   2000  ", "2000"],
    ["Exchange 2000 Server", "2000"],
  ])("%p is %s", (input, expected) => {
    expect(parseVersion(input)).toBe(expected);
  });

  test.each([[2011], ["2012"], [""], [null], [undefined], [true], [NaN], ["Exchange"], ["#N/A"], [{}]])("%p is not a version", (input) => {
    expect(parseVersion(input)).toBeUndefined();
  });
});

describe("parseMode", () => {
  test.each([
    ["per-user", "per-user"],
    ["user", "per-user"],
    ["Per User", "per-user"],
    ["PERUSER", "per-user"],
    ["per_device", "per-device"],
    ["device", "per-device"],
    ["per-seat", "per-seat"],
    ["Per Server", "per-server"],
    ["server", "per-server"],
    ["Mixed", "mixed"],
    [" best ", "best"],
    ["auto", "auto"],
  ])("%p is %s", (input, expected) => {
    expect(parseMode(input)).toBe(expected);
  });

  test.each([["per-mailbox"], [""], [3], [null]])("%p is not a mode", (input) => {
    expect(parseMode(input)).toBeUndefined();
  });
});

describe("resolveMode", () => {
  test("per-device on 2000 is per-seat", () => {
    expect(resolveMode(versionRule("2000"), "per-device")).toBe("per-seat");
  });
  test("a mode the version lacks names the modes it has", () => {
    expect(() => resolveMode(versionRule("2000"), "mixed")).toThrow(/came with Exchange 2003.*offers per-seat, per-server/);
  });
});

describe("calsRequired", () => {
  test("throws LicensingError with #VALUE! for bad input", () => {
    try {
      calsRequired({ users: 1, devices: 1, version: 2016, mode: "nope" });
      throw new Error("should have thrown");
    } catch (e) {
      expect(e).toBeInstanceOf(LicensingError);
      expect((e as LicensingError).code).toBe("#VALUE!");
    }
  });
  test("best never exceeds either single mode", () => {
    for (const [u, d] of [
      [0, 0],
      [3, 9],
      [9, 3],
      [5, 5],
    ]) {
      const best = calsRequired({ users: u, devices: d, version: 2016, mode: "best" });
      expect(best).toBe(Math.min(u, d));
    }
  });
});

describe("readCount and readPrice", () => {
  test("counts", () => {
    expect(readCount(undefined, "users")).toBe(0);
    expect(readCount(" 12 ", "users")).toBe(12);
    expect(() => readCount(Infinity, "users")).toThrow(/finite/);
    expect(() => readCount("1e400", "users")).toThrow(/finite/);
  });
  test("prices", () => {
    expect(readPrice("", "price", 67)).toBe(67);
    expect(readPrice(12.5, "price", 67)).toBe(12.5);
    expect(() => readPrice(0, "price", 67)).toThrow(/above 0/);
    expect(() => readPrice("cheap", "price", 67)).toThrow(/"cheap"/);
  });
});

describe("parseVersion reads build numbers and update names", () => {
  test.each([
    ["Version 15.1 (Build 2507.6)", "2016"],
    ["Version 15.2 (Build 1544.4)", "2019"],
    ["Version 15.2 (Build 2562.17)", "SE"],
    ["15.2.2562.17", "SE"],
    ["15.2.1118.7", "2019"],
    ["15.0.1497.2", "2013"],
    ["Version 14.3 (Build 123.4)", "2010"],
    ["8.3", "2007"],
    ["6.5", "2003"],
    ["Exchange 2016 CU23", "2016"],
    ["Exchange Server 2010 SP3", "2010"],
  ])("%p is %s", (input, expected) => {
    expect(parseVersion(input)).toBe(expected);
  });
  test.each([["15.3"], ["Version 99.1"], ["1.2.3.4.5"]])("%p is not a version", (input) => {
    expect(parseVersion(input)).toBeUndefined();
  });
});

describe("parseAmount: prices and quantities typed either way", () => {
  test.each([
    ["82.50", "money", 82.5],
    ["82,50", "money", 82.5],
    ["1,234.50", "money", 1234.5],
    ["1.234,50", "money", 1234.5],
    ["$ 82.50", "money", 82.5],
    ["€1.250,00", "money", 1250],
    ["1 200", "count", 1200],
    ["1,000", "count", 1000],
    ["1.000", "count", 1000],
    ["1,000,000", "money", 1000000],
    ["1.234.567,5", "money", 1234567.5],
    ["67", "money", 67],
    [".5", "money", 0.5],
    [42, "count", 42],
  ])("%p as %s is %p", (text, kind, expected) => {
    expect(parseAmount(text, kind as "money" | "count")).toBe(expected);
  });
  test.each([
    // one separator before three digits: a decimal mark or a thousands separator? refused
    ["82.555", "money"],
    ["82,555", "money"],
    ["1,000", "money"],
    ["€ 1.250", "money"],
    ["1,2,3", "money"],
    ["12,34.5", "money"],
    ["1.5", "count"],
    ["1,5", "count"],
    ["ten", "money"],
    ["1,234,5", "money"],
    ["", "money"],
    ["-3", "money"],
  ])("%p as %s is refused, not guessed", (text, kind) => {
    expect(parseAmount(text, kind as "money" | "count")).toBeUndefined();
  });
});
