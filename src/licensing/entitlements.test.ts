import { ENTERPRISE_FROM, LAST_CONNECTOR_VERSION, PRODUCTS, USER_CAL_FROM, VERSIONS, entitlementReach, parseProduct, productById } from ".";
import { SOURCES } from "./sources";
import type { EntitlementTerms } from ".";

const AS_OF = "2026-12-03";
const reach = (t: Omit<EntitlementTerms, "asOf" | "product"> & { product: string; asOf?: string }) =>
  entitlementReach({ ...t, product: productById(t.product), asOf: t.asOf ?? AS_OF });

describe("the licensing table's dates and thresholds", () => {
  test("availability dates rise with the versions; 2016 and 2019 left support on 2025-10-14; SE has none fixed", () => {
    const dates = VERSIONS.map((v) => v.available);
    expect([...dates].sort()).toEqual(dates);
    expect(VERSIONS.find((v) => v.id === "2019")).toMatchObject({ available: "2018-10-22", endOfSupport: "2025-10-14" });
    expect(VERSIONS.find((v) => v.id === "SE")).toMatchObject({ available: "2025-07-01", endOfSupport: null });
  });
  test("thresholds come from the rows", () => {
    expect(USER_CAL_FROM).toBe("2003");
    expect(ENTERPRISE_FROM).toBe("2007");
    expect(LAST_CONNECTOR_VERSION).toBe("2010");
  });
  test("every product cites sources that exist", () => {
    for (const p of PRODUCTS) {
      expect(p.sources.length).toBeGreaterThan(0);
      for (const s of p.sources) expect(SOURCES[s]).toBeDefined();
    }
  });
});

describe("parseProduct: forgiving names", () => {
  test.each([
    ["M365 E3", "m365-e3"],
    ["Microsoft 365 E3", "m365-e3"],
    ["Microsoft 365 E3 (no Teams)", "m365-e3"],
    ["O365 E1", "o365-e1"],
    ["Office 365 E1", "o365-e1"],
    ["EXO P1", "exo-plan-1"],
    ["Exchange Online (Plan 1)", "exo-plan-1"],
    ["exchange online plan 2", "exo-plan-2"],
    ["Core CAL Suite", "core-cal-suite"],
    ["CCAL", "core-cal-suite"],
    ["ECAL Suite", "enterprise-cal-suite"],
    ["Enterprise CAL Suite Bridge for Office 365", "enterprise-cal-suite-bridge"],
    ["Core CAL Bridge for Office 365", "core-cal-suite-bridge"],
    ["Exchange Online Kiosk", "exo-kiosk"],
    ["M365 F3", "m365-f3"],
    ["Microsoft 365 Business Premium", "m365-business-premium"],
    ["Exchange Server CAL", "exchange-cal"],
    ["External Connector", "external-connector"],
  ])("%p is %s", (text, id) => {
    expect(parseProduct(text)?.id).toBe(id);
  });
  test.each([["Exchange Online Plan 3"], ["Microsoft 365 E5 Security"], ["Visio"], [""]])("%p is unknown", (text) => {
    expect(parseProduct(text)).toBeUndefined();
  });
});

describe("entitlementReach: hand-checked rules", () => {
  test("E2: a suite whose SA lapsed before SE reaches 2019 only", () => {
    expect(reach({ product: "core-cal-suite", purchased: "2014-01-15", saUntil: "2020-01-14" })).toMatchObject({ standard: "2019", enterprise: null });
  });
  test("E2: a suite bought before 2019 without SA reaches what was out when bought", () => {
    expect(reach({ product: "enterprise-cal-suite", purchased: "2017-02-01" })).toMatchObject({ standard: "2016", enterprise: "2016" });
  });
  test("E2/E6: a suite with SA active on the audit date reaches SE", () => {
    expect(reach({ product: "enterprise-cal-suite", purchased: "2014-01-15", saUntil: "2027-01-14" })).toMatchObject({ standard: "SE", enterprise: "SE" });
    expect(reach({ product: "core-cal-suite", saActive: true })).toMatchObject({ standard: "SE", enterprise: null });
  });
  test("E2: a suite bought after SE came out without SA does not reach SE", () => {
    expect(reach({ product: "core-cal-suite", purchased: "2026-01-10" })).toMatchObject({ standard: "2019" });
  });
  test("a suite without dates is counted as bought on the audit date, with a warning", () => {
    const r = reach({ product: "core-cal-suite" });
    expect(r.standard).toBe("2019");
    expect(r.warnings.join(" ")).toMatch(/give its Purchased date/);
  });
  test("E5: a 2016 CAL with SA through 2019-01-01 reaches 2019; through 2018-10-21 it does not", () => {
    expect(reach({ product: "exchange-cal", version: "2016", edition: "standard", saUntil: "2019-01-01" }).standard).toBe("2019");
    expect(reach({ product: "exchange-cal", version: "2016", edition: "standard", saUntil: "2018-10-21" }).standard).toBe("2016");
  });
  test("R7: a 2019 CAL without SA covers 2019 and older, not SE", () => {
    const r = reach({ product: "exchange-cal", version: "2019", edition: "enterprise" });
    expect(r).toMatchObject({ standard: null, enterprise: "2019" });
    expect(r.why).toMatch(/not SE/);
  });
  test("E6: a 2019 CAL with SA active on the audit date reaches SE", () => {
    expect(reach({ product: "exchange-cal", version: "2019", edition: "standard", saActive: true }).standard).toBe("SE");
    expect(reach({ product: "exchange-cal", version: "2019", edition: "standard", saUntil: "2026-12-02" }).standard).toBe("2019");
  });
  test("E6: an SE CAL whose SA lapsed keeps 2019 and older only, said in words", () => {
    const r = reach({ product: "exchange-cal", version: "SE", edition: "standard", saActive: false });
    expect(r.standard).toBe("2019");
    expect(r.warnings.join(" ")).toMatch(/if it was a subscription, it counts for nothing/);
  });
  test("E4: Microsoft 365 E3 active gives Standard and Enterprise for every version; lapsed, nothing", () => {
    expect(reach({ product: "m365-e3", saUntil: "2027-01-01" })).toMatchObject({ standard: "SE", enterprise: "SE" });
    expect(reach({ product: "m365-e3", saUntil: "2026-11-30" })).toMatchObject({ standard: null, enterprise: null });
  });
  test("E4: Office 365 E1 and Exchange Online Plan 1 give Standard only; Kiosk, F3 and Business give nothing", () => {
    expect(reach({ product: "o365-e1" })).toMatchObject({ standard: "SE", enterprise: null });
    expect(reach({ product: "exo-plan-1" })).toMatchObject({ standard: "SE", enterprise: null });
    for (const id of ["exo-kiosk", "m365-f1", "m365-f3", "o365-f3", "m365-business-basic", "m365-business-standard", "m365-business-premium"]) {
      expect(reach({ product: id })).toMatchObject({ standard: null, enterprise: null });
    }
  });
  test("E3: a CAL Suite Bridge gives nothing, and says why", () => {
    const r = reach({ product: "enterprise-cal-suite-bridge", purchased: "2024-01-01", saUntil: "2027-01-01" });
    expect(r).toMatchObject({ standard: null, enterprise: null });
    expect(r.why).toMatch(/online plan sold with it/);
  });
  test("E7: an External Connector counts for 2010 and older only", () => {
    expect(reach({ product: "external-connector", version: "2010" }).standard).toBe("2010");
    const r = reach({ product: "external-connector", version: "2013" });
    expect(r.standard).toBe("2010");
    expect(r.warnings.join(" ")).toMatch(/discontinued with Exchange 2013/);
  });
  test("a licence bought after the audit date reaches nothing on it", () => {
    expect(reach({ product: "core-cal-suite", purchased: "2027-01-01", asOf: "2026-12-03" }).standard).toBeNull();
  });
});
