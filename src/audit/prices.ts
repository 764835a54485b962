import { readPrice, versionRule } from "../licensing";
import type { CoverPrices } from "../solver";
import type { OwnedLicence, PriceInput, Prices } from "./types";

export type PriceSource = "given" | "owned" | "example";

/**
 * Example prices, used only when the user gives none. Sources disagree on CAL prices, so
 * these are NOT facts: USD 67 is the 2003-era CAL figure in the rules; all CALs cost the
 * same so that, by default, the cheapest plan is the one with the fewest CALs.
 */
const DEFAULT_PRICES: Prices = {
  userStandard: 67,
  userEnterprise: 67,
  deviceStandard: 67,
  deviceEnterprise: 67,
  server: 67,
  // The 2003-era External Connector figure in the rules (about USD 50,000): an example only.
  externalConnector: 50000,
};

const PRICE_NAMES: Record<keyof Prices, string> = {
  userStandard: "user CAL price",
  userEnterprise: "Enterprise user CAL price",
  deviceStandard: "device CAL price",
  deviceEnterprise: "Enterprise device CAL price",
  server: "per-server CAL price",
  externalConnector: "External Connector price",
};

const OWNED_KEY: Record<keyof Prices, [OwnedLicence["type"], OwnedLicence["edition"]]> = {
  userStandard: ["user", "standard"],
  userEnterprise: ["user", "enterprise"],
  deviceStandard: ["device", "standard"],
  deviceEnterprise: ["device", "enterprise"],
  server: ["server", "standard"],
  externalConnector: ["connector", "standard"],
};

/**
 * Each price: as given; else the unit price the owned-licences table records for that kind
 * of CAL (the newest version's, what a purchase would cost now); else the documented
 * example. A given price must be above 0.
 */
export function resolvePrices(given: PriceInput | undefined, owned: OwnedLicence[] = []): { prices: Prices; sources: Record<keyof Prices, PriceSource> } {
  const prices = { ...DEFAULT_PRICES };
  const sources = {} as Record<keyof Prices, PriceSource>;
  for (const key of Object.keys(DEFAULT_PRICES) as (keyof Prices)[]) {
    const value = given?.[key];
    if (value !== undefined && value !== null && (value as unknown) !== "") {
      prices[key] = readPrice(value, PRICE_NAMES[key], DEFAULT_PRICES[key]);
      sources[key] = "given";
      continue;
    }
    const [type, edition] = OWNED_KEY[key];
    let newest: OwnedLicence | undefined;
    for (const o of owned) {
      if (o.type !== type || o.edition !== edition || !o.unitPrice || !o.version) continue;
      if (!newest || versionRule(o.version).rank > versionRule(newest.version!).rank) newest = o;
    }
    if (newest?.unitPrice) {
      prices[key] = newest.unitPrice;
      sources[key] = "owned";
    } else sources[key] = "example";
  }
  // Without a per-server price of its own, a per-server CAL costs what a device CAL costs.
  if (sources.server === "example" && sources.deviceStandard !== "example") {
    prices.server = prices.deviceStandard;
    sources.server = sources.deviceStandard;
  }
  return { prices, sources };
}

/** Money in whole cents: the solver works in exact integers, and totals add up to the cent. */
export function cents(amount: number): number {
  return Math.max(1, Math.round(amount * 100));
}

export function coverPrices(prices: Prices): CoverPrices {
  return {
    userStandard: cents(prices.userStandard),
    userEnterprise: cents(prices.userEnterprise),
    deviceStandard: cents(prices.deviceStandard),
    deviceEnterprise: cents(prices.deviceEnterprise),
  };
}

/** Sum of quantity x price, exact to the cent. */
export function costOf(parts: [quantity: number, price: number][]): number {
  let total = 0;
  for (const [q, p] of parts) total += q * Math.round(p * 100);
  return total / 100;
}
