/*
 * Offline checks of the manifest (office-addin-manifest validate needs the network): the source
 * manifest.xml (the dev server's, https://localhost:3000) and the production one the build wrote
 * for TEST_HOST, both against the same rules and against the files the build emits
 * (test/global-setup.ts builds once for all the build tests).
 */
/* global describe, test, expect, beforeAll, require, Buffer */

import fs from "fs";
import path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ROOT, TEST_HOST, builtDist } from "./global-setup";

const DEV_URL = "https://localhost:3000/";
const SOURCE_TEXT = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toHost } = require(path.join(ROOT, "scripts", "host.js")) as { toHost: (text: string, base: string) => string };

type XmlNode = { [key: string]: unknown };
type Element = { name: string; attrs: Record<string, string>; text?: string; path: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: true,
});

/** Every element in document order, with its attributes, text and a slash path. */
function elements(node: unknown, name: string, at: string, out: Element[] = []): Element[] {
  const items = Array.isArray(node) ? node : [node];
  for (const item of items) {
    const attrs: Record<string, string> = {};
    let value: string | undefined;
    const children: [string, unknown][] = [];
    if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item as XmlNode)) {
        if (key.startsWith("@_")) attrs[key.slice(2)] = String(child);
        else if (key === "#text") value = String(child);
        else children.push([key, child]);
      }
    } else if (item !== undefined && item !== "") {
      value = String(item);
    }
    const here = `${at}/${name}`;
    out.push({ name, attrs, text: value, path: here });
    for (const [key, child] of children) elements(child, key, here, out);
  }
  return out;
}

/** A manifest parsed once: its elements, and lookups over them. */
function parseManifest(text: string) {
  const doc = parser.parse(text) as XmlNode;
  const app = doc.OfficeApp as XmlNode;
  const all = elements(app, "OfficeApp", "");
  const named = (name: string) => all.filter((e) => e.name === name);
  /** Resources by kind: id -> DefaultValue. */
  const resources = (group: string, item: string): Map<string, string> => {
    const map = new Map<string, string>();
    for (const e of all.filter((e) => e.name === item && e.path.includes(`/Resources/${group}/`))) {
      expect(map.has(e.attrs.id)).toBe(false); // ids are unique
      map.set(e.attrs.id, e.attrs.DefaultValue);
    }
    return map;
  };
  /** Every absolute URL the manifest holds (SourceLocation, IconUrl, SupportUrl, bt:Url, bt:Image). */
  const urls = () => all.map((e) => e.attrs.DefaultValue).filter((v): v is string => typeof v === "string" && /^[a-z]+:\/\//i.test(v));
  return { text, doc, app, all, named, resources, urls };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString("ascii", 12, 16)).toBe("IHDR");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** The dist file a URL under `base` points at (query and fragment dropped). */
function distFileFor(url: string, base: string): string {
  expect(url.startsWith(base) ? url : `${url} (not under ${base})`).toBe(url);
  return url.slice(base.length).split(/[?#]/)[0];
}

type Manifest = ReturnType<typeof parseManifest>;

/** The two manifests under test: the source one (dev server) and the one the production build wrote. */
const MANIFESTS: [string, string, () => string][] = [
  ["manifest.xml (development, https://localhost:3000)", DEV_URL, () => SOURCE_TEXT],
  [`dist/manifest.xml (production, ${TEST_HOST})`, TEST_HOST, () => fs.readFileSync(path.join(builtDist(), "manifest.xml"), "utf8")],
];

describe.each(MANIFESTS)("%s", (_label, base, read) => {
  let m: Manifest;
  let dist = "";
  beforeAll(() => {
    dist = builtDist();
    m = parseManifest(read());
  });

  test("is well-formed XML", () => {
    expect(XMLValidator.validate(m.text)).toBe(true);
  });

  test("root is an OfficeApp TaskPaneApp with the required children in schema order, and no namespace it does not use", () => {
    expect(Object.keys(m.doc)).toContain("OfficeApp");
    expect(m.app["@_xsi:type"]).toBe("TaskPaneApp");
    expect(m.app["@_xmlns"]).toBe("http://schemas.microsoft.com/office/appforoffice/1.1");
    const order = [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ];
    const children = Object.keys(m.app).filter((k) => !k.startsWith("@_"));
    expect(children).toEqual(order);
    // Every xmlns:prefix declared on the root is used by some element or attribute.
    for (const attr of Object.keys(m.app).filter((k) => k.startsWith("@_xmlns:"))) {
      const prefix = attr.slice("@_xmlns:".length);
      const used = m.all.some((e) => e.name.startsWith(`${prefix}:`) || Object.keys(e.attrs).some((a) => a.startsWith(`${prefix}:`)));
      expect({ prefix, used }).toEqual({ prefix, used: true });
    }
  });

  test("identity: GUID id, four-part version, names", () => {
    const { app } = m;
    expect(String(app.Id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(String(app.Id)).not.toBe("ca968be6-628b-4f14-ba3c-3e614effa9bd"); // not the template's
    expect(String(app.Version)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((app.DisplayName as XmlNode)["@_DefaultValue"]).toBe("CALS: Exchange CAL auditor");
    expect(String(app.ProviderName).length).toBeGreaterThan(0);
    // Schema limits: DisplayName is a short string (125), Description a long one (250).
    expect(String((app.DisplayName as XmlNode)["@_DefaultValue"]).length).toBeLessThanOrEqual(125);
    const description = String((app.Description as XmlNode)["@_DefaultValue"]);
    expect(description.length).toBeGreaterThan(0);
    expect(description.length).toBeLessThanOrEqual(250);
  });

  test("Excel only, with the shared runtime, the custom functions runtime and the ExcelApi the code needs", () => {
    expect(
      m
        .named("Host")
        .filter((h) => h.path === "/OfficeApp/Hosts/Host")
        .map((h) => h.attrs.Name),
    ).toEqual(["Workbook"]);
    // test/requirement-sets.test.ts checks these versions against the code's calls.
    const sets = Object.fromEntries(m.named("Set").map((s) => [s.attrs.Name, s.attrs.MinVersion]));
    expect(sets).toEqual({ SharedRuntime: "1.1", CustomFunctionsRuntime: "1.3", ExcelApi: "1.7" });
  });

  test("every resid resolves to a resource of the right kind, and resource ids fit the 32-character limit", () => {
    const urls = m.resources("bt:Urls", "bt:Url");
    const images = m.resources("bt:Images", "bt:Image");
    const short = m.resources("bt:ShortStrings", "bt:String");
    const long = m.resources("bt:LongStrings", "bt:String");
    const withResid = m.all.filter((e) => e.attrs.resid !== undefined);
    expect(withResid.length).toBeGreaterThan(10);
    for (const e of withResid) {
      const id = e.attrs.resid;
      const kind =
        e.name === "bt:Image"
          ? images
          : ["SourceLocation", "Runtime", "FunctionFile", "LearnMoreUrl"].includes(e.name)
            ? urls
            : e.name === "Description"
              ? long
              : short; // Label, Title, Namespace
      expect({ at: e.path, resid: id, resolved: kind.has(id) }).toEqual({ at: e.path, resid: id, resolved: true });
    }
    for (const id of [...urls.keys(), ...images.keys(), ...short.keys(), ...long.keys()]) expect(id.length).toBeLessThanOrEqual(32);
    for (const value of short.values()) expect(value.length).toBeLessThanOrEqual(125);
    for (const value of long.values()) expect(value.length).toBeLessThanOrEqual(250);
  });

  test("shared runtime: one long-lived runtime that the page, function file and pane all use, and no TaskpaneId", () => {
    const runtimes = m.named("Runtime");
    expect(runtimes).toHaveLength(1);
    expect(runtimes[0].attrs).toEqual({ resid: "Taskpane.Url", lifetime: "long" });
    const page = m.all.find((e) => e.name === "SourceLocation" && e.path.endsWith("/ExtensionPoint/Page/SourceLocation"));
    const action = m.all.find((e) => e.name === "SourceLocation" && e.path.endsWith("/Action/SourceLocation"));
    expect(page?.attrs.resid).toBe("Taskpane.Url");
    expect(action?.attrs.resid).toBe("Taskpane.Url");
    expect(m.named("FunctionFile")[0]?.attrs.resid).toBe("Taskpane.Url");
    // A TaskpaneId would open a second pane beside the shared runtime's page.
    expect(m.named("TaskpaneId")).toEqual([]);
  });

  test("custom functions: script, page and metadata on this host, in the CALS namespace", () => {
    const urls = m.resources("bt:Urls", "bt:Url");
    const cf = m.all.filter((e) => e.path.includes("/AllFormFactors/ExtensionPoint/"));
    const location = (part: string) => cf.find((e) => e.path.endsWith(`/${part}/SourceLocation`))?.attrs.resid ?? "";
    expect(urls.get(location("Script"))).toBe(`${base}functions.js`);
    expect(urls.get(location("Metadata"))).toBe(`${base}functions.json`);
    expect(urls.get(location("Page"))).toBe(`${base}taskpane.html`);
    const ns = m.named("Namespace")[0]?.attrs.resid;
    expect(m.resources("bt:ShortStrings", "bt:String").get(ns)).toBe("CALS");
  });

  test('one ribbon button, "Audit licences", that shows the task pane, with 16, 20, 32 and 80 px icons', () => {
    const controls = m.named("Control");
    expect(controls).toHaveLength(1);
    expect(controls[0].attrs["xsi:type"]).toBe("Button");
    const label = m.all.find((e) => e.name === "Label" && e.path.endsWith("/Control/Label"))?.attrs.resid ?? "";
    expect(m.resources("bt:ShortStrings", "bt:String").get(label)).toBe("Audit licences");
    expect(m.named("Action")[0]?.attrs["xsi:type"]).toBe("ShowTaskpane");
    for (const icon of m.all.filter((e) => e.name === "Icon")) {
      const sizes = m.all.filter((e) => e.name === "bt:Image" && e.path === `${icon.path}/bt:Image`).map((e) => e.attrs.size);
      expect({ at: icon.path, sizes }).toEqual({ at: icon.path, sizes: ["16", "20", "32", "80"] });
    }
  });

  test(`every URL is https, under ${base}, and the build emits the file it names; no AppDomain repeats the origin`, () => {
    const urls = m.urls();
    expect(urls.length).toBeGreaterThanOrEqual(10);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\//);
      const file = distFileFor(url, base);
      expect({ url, emitted: fs.existsSync(path.join(dist, file)) }).toEqual({ url, emitted: true });
    }
    const origin = new URL(base).origin;
    expect(m.named("AppDomain").filter((e) => (e.text ?? "").replace(/\/$/, "") === origin)).toEqual([]);
  });

  test("icons are PNGs of the sizes they claim", () => {
    const images = m.resources("bt:Images", "bt:Image");
    for (const e of m.named("bt:Image").filter((e) => e.attrs.size)) {
      const size = Number(e.attrs.size);
      expect(pngSize(path.join(dist, distFileFor(images.get(e.attrs.resid) ?? "", base)))).toEqual({ width: size, height: size });
    }
    const iconUrl = (m.app.IconUrl as XmlNode)["@_DefaultValue"] as string;
    const hiRes = (m.app.HighResolutionIconUrl as XmlNode)["@_DefaultValue"] as string;
    expect(pngSize(path.join(dist, distFileFor(iconUrl, base)))).toEqual({ width: 32, height: 32 });
    expect(pngSize(path.join(dist, distFileFor(hiRes, base)))).toEqual({ width: 64, height: 64 });
  });
});

describe("the production build", () => {
  let dist = "";
  beforeAll(() => {
    dist = builtDist();
  });

  test("the built manifest is the source one with every dev URL pointed at the host, and nothing left on localhost", () => {
    const built = fs.readFileSync(path.join(dist, "manifest.xml"), "utf8");
    expect(built).toBe(toHost(SOURCE_TEXT, TEST_HOST));
    expect(built).not.toContain("localhost");
  });

  test("no placeholder or dev host in what Excel reads: manifest, metadata, scripts, pages", () => {
    for (const file of ["manifest.xml", "functions.json", "taskpane.html", "taskpane.js", "functions.js"]) {
      const text = fs.readFileSync(path.join(dist, file), "utf8");
      expect({ file, placeholder: /\bexample\.(com|org|net)\b/.test(text) }).toEqual({ file, placeholder: false });
    }
    expect(fs.readFileSync(path.join(dist, "functions.json"), "utf8")).not.toContain("localhost");
    // The help pages link no source file (not hosted) and no dev server.
    for (const page of ["help.html", "licensing-rules.html"]) {
      const html = fs.readFileSync(path.join(dist, page), "utf8");
      expect(html).not.toMatch(/href="?https:\/\/localhost/);
      expect(html).not.toMatch(/href="?(\.\.\/)?src\//);
    }
  });

  test("taskpane.html loads office.js from the CDN before the taskpane and functions bundles", () => {
    const html = fs.readFileSync(path.join(dist, "taskpane.html"), "utf8");
    const office = html.indexOf("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
    const taskpane = html.search(/<script[^>]*src="?taskpane\.js/);
    const functions = html.search(/<script[^>]*src="?functions\.js/);
    expect(office).toBeGreaterThan(-1);
    expect(taskpane).toBeGreaterThan(office);
    expect(functions).toBeGreaterThan(office);
    expect(fs.existsSync(path.join(dist, "functions.json"))).toBe(true);
  });

  test("every function's help link is on the host and opens a section of the built help page", () => {
    const meta = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as { functions: { id: string; helpUrl?: string }[] };
    const help = fs.readFileSync(path.join(dist, "help.html"), "utf8");
    expect(meta.functions.length).toBeGreaterThanOrEqual(5);
    for (const f of meta.functions) {
      expect(f.helpUrl).toBe(`${TEST_HOST}help.html#cals${f.id.toLowerCase()}`);
      const anchor = f.helpUrl!.split("#")[1];
      // Production builds minify the page, which may drop attribute quotes.
      expect(help).toMatch(new RegExp(`id="?${anchor}"?[\\s>]`));
    }
    expect(fs.existsSync(path.join(dist, "licensing-rules.html"))).toBe(true);
    expect(help).toMatch(/href="?licensing-rules\.html/);
  });

  test("functions.json takes data-type cells (the functions read them as the value they show: test/support/function-cases.ts)", () => {
    const meta = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as { allowCustomDataForDataTypeAny?: boolean };
    expect(meta.allowCustomDataForDataTypeAny).toBe(true);
  });

  test("function descriptions are one paragraph each: no hard line breaks from the JSDoc", () => {
    const meta = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as {
      functions: { id: string; description?: string; parameters: { name: string; description?: string }[] }[];
    };
    for (const f of meta.functions) {
      for (const [where, text] of [[f.id, f.description], ...f.parameters.map((p) => [`${f.id}(${p.name})`, p.description])]) {
        expect({ where, text, breaks: /[\r\n]/.test(text ?? "") }).toEqual({ where, text, breaks: false });
      }
    }
  });
});
