/**
 * What each CALS.* function must answer, shared by the unit tests (source) and the bundle
 * test (dist/functions.js, what Excel loads), so both are held to the same answers.
 */
export type FunctionCase =
  | { name: string; fn: string; args: unknown[]; expect: unknown }
  | { name: string; fn: string; args: unknown[]; error: string; message?: RegExp };

export const functionCases: FunctionCase[] = [
  // The seed column: 1,000 users each on their own computer need 1,000 CALs, whatever the mode.
  { name: "seed: 1,000 users on 2000 per-seat", fn: "REQUIRED", args: [1000, 1000, 2000, "per-seat"], expect: 1000 },
  { name: "seed: 1,000 users on 2000 per-device", fn: "REQUIRED", args: [1000, 1000, "2000", "per-device"], expect: 1000 },
  { name: "seed: 1,000 users on 2003 per-user", fn: "REQUIRED", args: [1000, 1000, 2003, "per-user"], expect: 1000 },
  // The seed's kiosk: many users on one shared machine take one device CAL.
  { name: "kiosk: 40 users on one device, per-device", fn: "REQUIRED", args: [40, 1, 2003, "per-device"], expect: 1 },
  { name: "kiosk: best picks the device CAL", fn: "REQUIRED", args: [40, 1, "Exchange Server 2016", "best"], expect: 1 },
  { name: "issue example", fn: "REQUIRED", args: [1000, 40, "2016", "per-device"], expect: 40 },
  { name: "best picks users when fewer", fn: "REQUIRED", args: [100, 250, "2019", "best"], expect: 100 },
  { name: "per-server, one server", fn: "REQUIRED", args: [120, 300, "2000", "per-server"], expect: 120 },
  { name: "per-server: a second server needs a second set", fn: "REQUIRED", args: [120, 300, "5.5", "per-server", 2], expect: 240 },
  { name: "best on 2000 compares per-seat and per-server", fn: "REQUIRED", args: [120, 300, "2000", "best", 3], expect: 300 },
  { name: "best on 2000, one server", fn: "REQUIRED", args: [120, 300, "2000", "best"], expect: 120 },
  { name: "empty cells count as 0", fn: "REQUIRED", args: [null, 12, "SE", "per-user"], expect: 0 },
  { name: "empty devices", fn: "REQUIRED", args: [5, "", "Subscription Edition", "device"], expect: 0 },
  { name: "Exchange 15 is 2013", fn: "REQUIRED", args: [7, 3, "Exchange 15", "User"], expect: 7 },
  { name: "case and spacing do not matter", fn: "REQUIRED", args: [7, 3, "  exchange   server 2010 ", " PER-DEVICE "], expect: 3 },
  { name: "numeric text counts", fn: "REQUIRED", args: ["25", "4", 2007, "per-user"], expect: 25 },
  {
    name: "per-user on 2000 explains R2",
    fn: "REQUIRED",
    args: [1000, 1000, 2000, "per-user"],
    error: "#VALUE!",
    message: /User CALs came with Exchange 2003.*per device.*offers per-seat, per-server/,
  },
  {
    name: "per-server on 2016",
    fn: "REQUIRED",
    args: [10, 10, 2016, "per-server"],
    error: "#VALUE!",
    message: /Per-server licensing ended with Exchange 2000.*offers per-user, per-device, mixed/,
  },
  {
    name: "per-seat on 2019",
    fn: "REQUIRED",
    args: [10, 10, 2019, "per-seat"],
    error: "#VALUE!",
    message: /per-device/,
  },
  { name: "mixed needs pairs", fn: "REQUIRED", args: [10, 10, 2016, "mixed"], error: "#VALUE!", message: /CALS\.MIX/ },
  { name: "unknown version", fn: "REQUIRED", args: [10, 10, 2011, "per-user"], error: "#VALUE!", message: /Unknown Exchange version "2011".*2016/ },
  { name: "unknown mode", fn: "REQUIRED", args: [10, 10, 2016, "per-mailbox"], error: "#VALUE!", message: /Unknown licensing mode "per-mailbox".*per-user/ },
  { name: "empty version", fn: "REQUIRED", args: [10, 10, "", "per-user"], error: "#VALUE!", message: /Unknown Exchange version \(empty\)/ },
  { name: "negative users", fn: "REQUIRED", args: [-1, 10, 2016, "per-user"], error: "#VALUE!", message: /users cannot be negative/ },
  { name: "fractional devices", fn: "REQUIRED", args: [1, 2.5, 2016, "per-device"], error: "#VALUE!", message: /devices must be a whole number/ },
  { name: "text users", fn: "REQUIRED", args: ["many", 2, 2016, "per-user"], error: "#VALUE!", message: /users must be a number.*"many"/ },
  { name: "boolean devices", fn: "REQUIRED", args: [1, true, 2016, "per-device"], error: "#VALUE!", message: /TRUE/ },
  { name: "bad servers", fn: "REQUIRED", args: [1, 2, 2000, "per-server", -2], error: "#VALUE!", message: /servers cannot be negative/ },
  { name: "a bad count is an error even in a mode that ignores it", fn: "REQUIRED", args: [1, -2, 2016, "per-user"], error: "#VALUE!", message: /devices/ },

  { name: "2019 CAL covers 2016", fn: "COVERS", args: [2019, 2016], expect: true },
  { name: "2016 CAL does not cover 2019", fn: "COVERS", args: ["2016", "2019"], expect: false },
  { name: "same version", fn: "COVERS", args: ["Exchange 15", 2013], expect: true },
  { name: "SE covers 2019", fn: "COVERS", args: ["SE", "Exchange Server 2019"], expect: true },
  { name: "2000 CAL does not cover 2003", fn: "COVERS", args: [2000, 2003], expect: false },
  { name: "COVERS unknown version", fn: "COVERS", args: [2019, "2012"], error: "#VALUE!", message: /Unknown Exchange version "2012"/ },

  { name: "VERSIONS spills oldest first", fn: "VERSIONS", args: [], expect: [["5.5"], ["2000"], ["2003"], ["2007"], ["2010"], ["2013"], ["2016"], ["2019"], ["SE"]] },
  { name: "MODES 2000", fn: "MODES", args: [2000], expect: [["per-seat"], ["per-server"]] },
  { name: "MODES 2016", fn: "MODES", args: ["Exchange Server 2016"], expect: [["per-user"], ["per-device"], ["mixed"]] },
  { name: "MODES unknown", fn: "MODES", args: ["Exchange 4"], error: "#VALUE!", message: /Unknown Exchange version/ },
];

// CALS.MIX: access pairs as Excel passes ranges (2-D arrays, one column each).
const col = (...xs: unknown[]) => xs.map((x) => [x]);
functionCases.push(
  {
    name: "MIX: office workers on two devices each and a shared kiosk",
    fn: "MIX",
    args: [col("ann", "ann", "bob", "bob", "w1", "w2", "w3"), col("LAP-1", "PHONE-1", "LAP-2", "PHONE-2", "KIOSK", "KIOSK", "KIOSK")],
    expect: [[2, 1]],
  },
  // Each of 1,000 users on a computer AND a phone: user CALs (1,000) beat device CALs (2,000).
  // (On a computer alone it is a tie, 1,000 either way; the cut may pick either side.)
  {
    name: "MIX: 1,000 users, each on a computer and a phone",
    fn: "MIX",
    args: [
      col(...Array.from({ length: 2000 }, (_, i) => `u${i >> 1}`)),
      col(...Array.from({ length: 2000 }, (_, i) => (i % 2 ? `phone${i >> 1}` : `pc${i >> 1}`))),
    ],
    expect: [[1000, 0]],
  },
  { name: "MIX: expensive device CALs move the kiosk to user CALs", fn: "MIX", args: [col("w1", "w2", "w3"), col("KIOSK", "KIOSK", "KIOSK"), 10, 100], expect: [[3, 0]] },
  { name: "MIX: blank pairs are skipped, identities ignore case", fn: "MIX", args: [col("Ann", "", "ANN", null), col("PC1", "", "PC2", null)], expect: [[1, 0]] },
  { name: "MIX: a user with no device needs a user CAL", fn: "MIX", args: [col("ann", "bob", "carol"), col("", "KIOSK", "KIOSK")], expect: [[1, 1]] },
  { name: "MIX: unequal ranges", fn: "MIX", args: [col("a", "b"), col("x")], error: "#VALUE!", message: /same size \(got 2 and 1/ },
  { name: "MIX: bad price", fn: "MIX", args: [col("a"), col("x"), -5], error: "#VALUE!", message: /userPrice must be a price above 0/ },
  { name: "MIX: error cell", fn: "MIX", args: [col("a", "#N/A"), col("x", "y")], error: "#VALUE!", message: /pair 2 is the Excel error #N\/A/ },
);

// Data-type cells, as Excel passes them to an `any` parameter when functions.json allows data
// types (allowCustomDataForDataTypeAny): the CellValue JSON of the Excel JavaScript API. An
// entity or linked entity's basicValue is "#VALUE!"; the cell shows its text.
const entity = (text: string) => ({
  type: "Entity",
  text,
  properties: { Email: { type: "String", basicValue: `${text.toLowerCase().replace(/ /g, ".")}@contoso.com` }, Site: { type: "String", basicValue: "Leeds" } },
  basicType: "Error",
  basicValue: "#VALUE!",
});
const linked = (text: string, entityId: string) => ({
  type: "LinkedEntity",
  text,
  id: { entityId, domainId: "Organization", serviceId: 268, culture: "en-US" },
  properties: {},
  basicType: "Error",
  basicValue: "#VALUE!",
});
const formatted = (n: number, numberFormat: string) => ({ type: "FormattedNumber", basicValue: n, numberFormat });
functionCases.push(
  {
    // Read as "[object Object]", all three would be one user and the answer [[1, 0]].
    name: "MIX: people as entity values, each on two devices",
    fn: "MIX",
    args: [
      col(entity("Ann Lee"), entity("Ann Lee"), entity("Bob Tan"), entity("Bob Tan"), entity("Cy Roe"), entity("Cy Roe")),
      col("LAP-1", "PH-1", "LAP-2", "PH-2", "LAP-3", "PH-3"),
    ],
    expect: [[3, 0]],
  },
  {
    name: "MIX: a linked-entity person and the same name typed as text are one user",
    fn: "MIX",
    args: [col(linked("Ann Lee", "p-1"), "ann lee", linked("Bob Tan", "p-2")), col("LAP-1", "PHONE-1", "KIOSK")],
    expect: [[1, 1]],
  },
  {
    name: "MIX: a formatted-number price",
    fn: "MIX",
    args: [col("w1", "w2", "w3"), col("KIOSK", "KIOSK", "KIOSK"), formatted(10, "$#,##0.00"), 100],
    expect: [[3, 0]],
  },
  {
    name: "MIX: a data-type error cell says which pair",
    fn: "MIX",
    args: [col("a", "b"), col("x", { type: "Error", errorType: "NotAvailable", basicValue: "#N/A" })],
    error: "#VALUE!",
    message: /The device in pair 2 is the Excel error #N\/A/,
  },
  {
    name: "MIX: a picture cell is refused, not counted",
    fn: "MIX",
    args: [col("a", { type: "WebImage", address: "https://contoso.com/ann.png", altText: "Ann", basicType: "Error", basicValue: "#VALUE!" }), col("x", "y")],
    error: "#VALUE!",
    message: /The user in pair 2 is a picture or link data type/,
  },
  {
    name: "REQUIRED: counts as number data types, the version as an entity",
    fn: "REQUIRED",
    args: [{ type: "Double", basicValue: 25 }, formatted(4, "#,##0"), entity("Exchange Server 2019"), { type: "String", basicValue: "per-user" }],
    expect: 25,
  },
  {
    name: "REQUIRED: a person entity as users is a clear error",
    fn: "REQUIRED",
    args: [entity("Ann Lee"), 2, 2019, "per-user"],
    error: "#VALUE!",
    message: /users must be a number.*"Ann Lee"/,
  },
  {
    name: "COVERS: versions as linked entities",
    fn: "COVERS",
    args: [linked("Exchange Server 2019", "x-19"), linked("Exchange Server 2016", "x-16")],
    expect: true,
  },
);
