/*
 * Offline checks of manifest.xml (office-addin-manifest validate needs the network) and of
 * the files it points at in the webpack output built once by test/global-setup.ts.
 */
/* global describe, test, expect, beforeAll, require, Buffer */

import fs from "fs";
import path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ROOT, builtDist } from "./global-setup";

const MANIFEST_FILE = path.join(ROOT, "manifest.xml");
const DEV_URL = "https://localhost:3000/";
const { urlProd } = require(path.join(ROOT, "webpack.config.js")) as { urlProd: string };

type XmlNode = { [key: string]: unknown };
type Element = { name: string; attrs: Record<string, string>; text?: string; path: string };

const text = fs.readFileSync(MANIFEST_FILE, "utf8");
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: true,
});
const doc = parser.parse(text) as XmlNode;
const app = doc.OfficeApp as XmlNode;

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

const all = elements(app, "OfficeApp", "");
const named = (name: string) => all.filter((e) => e.name === name);

/** Resources by kind: id -> DefaultValue. */
function resources(group: string, item: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of all.filter((e) => e.name === item && e.path.includes(`/Resources/${group}/`))) {
    expect(map.has(e.attrs.id)).toBe(false); // ids are unique
    map.set(e.attrs.id, e.attrs.DefaultValue);
  }
  return map;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString("ascii", 12, 16)).toBe("IHDR");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** The dist file a dev URL points at (query and fragment dropped). */
function distFileFor(url: string): string {
  expect(url.startsWith(DEV_URL)).toBe(true);
  return url.slice(DEV_URL.length).split(/[?#]/)[0];
}

describe("manifest.xml", () => {
  test("is well-formed XML", () => {
    expect(XMLValidator.validate(text)).toBe(true);
  });

  test("root is an OfficeApp TaskPaneApp with the required children in schema order", () => {
    expect(Object.keys(doc)).toContain("OfficeApp");
    expect(app["@_xsi:type"]).toBe("TaskPaneApp");
    expect(app["@_xmlns"]).toBe("http://schemas.microsoft.com/office/appforoffice/1.1");
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
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ];
    const children = Object.keys(app).filter((k) => !k.startsWith("@_"));
    expect(children).toEqual(order);
  });

  test("identity: GUID id, four-part version, names", () => {
    expect(String(app.Id)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    );
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

  test("Excel only, with the SharedRuntime and CustomFunctionsRuntime requirement sets", () => {
    expect(
      named("Host")
        .filter((h) => h.path === "/OfficeApp/Hosts/Host")
        .map((h) => h.attrs.Name)
    ).toEqual(["Workbook"]);
    const sets = Object.fromEntries(named("Set").map((s) => [s.attrs.Name, s.attrs.MinVersion]));
    expect(sets).toEqual({ SharedRuntime: "1.1", CustomFunctionsRuntime: "1.1" });
  });

  test("every resid resolves to a resource of the right kind, and resource ids fit the 32-character limit", () => {
    const urls = resources("bt:Urls", "bt:Url");
    const images = resources("bt:Images", "bt:Image");
    const short = resources("bt:ShortStrings", "bt:String");
    const long = resources("bt:LongStrings", "bt:String");
    const withResid = all.filter((e) => e.attrs.resid !== undefined);
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
      expect({ at: e.path, resid: id, resolved: kind.has(id) }).toEqual({
        at: e.path,
        resid: id,
        resolved: true,
      });
    }
    for (const id of [...urls.keys(), ...images.keys(), ...short.keys(), ...long.keys()]) {
      expect(id.length).toBeLessThanOrEqual(32);
    }
    for (const value of short.values()) expect(value.length).toBeLessThanOrEqual(125);
    for (const value of long.values()) expect(value.length).toBeLessThanOrEqual(250);
  });

  test("shared runtime: one long-lived runtime, and the page, function file and pane all use it", () => {
    const runtimes = named("Runtime");
    expect(runtimes).toHaveLength(1);
    expect(runtimes[0].attrs).toEqual({ resid: "Taskpane.Url", lifetime: "long" });
    const page = all.find(
      (e) => e.name === "SourceLocation" && e.path.endsWith("/ExtensionPoint/Page/SourceLocation")
    );
    const action = all.find(
      (e) => e.name === "SourceLocation" && e.path.endsWith("/Action/SourceLocation")
    );
    expect(page?.attrs.resid).toBe("Taskpane.Url");
    expect(action?.attrs.resid).toBe("Taskpane.Url");
    expect(named("FunctionFile")[0]?.attrs.resid).toBe("Taskpane.Url");
    expect(named("TaskpaneId").map((e) => e.text)).toEqual(["ButtonId1"]);
  });

  test("custom functions: script, page and metadata, in the CALS namespace", () => {
    const urls = resources("bt:Urls", "bt:Url");
    const cf = all.filter((e) => e.path.includes("/AllFormFactors/ExtensionPoint/"));
    const location = (part: string) =>
      cf.find((e) => e.path.endsWith(`/${part}/SourceLocation`))?.attrs.resid ?? "";
    expect(urls.get(location("Script"))).toBe(`${DEV_URL}functions.js`);
    expect(urls.get(location("Metadata"))).toBe(`${DEV_URL}functions.json`);
    expect(urls.get(location("Page"))).toBe(`${DEV_URL}taskpane.html`);
    const ns = named("Namespace")[0]?.attrs.resid;
    expect(resources("bt:ShortStrings", "bt:String").get(ns)).toBe("CALS");
  });

  test('one ribbon button, "Audit licences", that shows the task pane', () => {
    const controls = named("Control");
    expect(controls).toHaveLength(1);
    expect(controls[0].attrs["xsi:type"]).toBe("Button");
    const label =
      all.find((e) => e.name === "Label" && e.path.endsWith("/Control/Label"))?.attrs.resid ?? "";
    expect(resources("bt:ShortStrings", "bt:String").get(label)).toBe("Audit licences");
    expect(named("Action")[0]?.attrs["xsi:type"]).toBe("ShowTaskpane");
  });
});

describe("manifest.xml against the build", () => {
  let dist = "";
  beforeAll(() => {
    dist = builtDist();
  });

  test("every URL points at https://localhost:3000/<file> and the build emits <file>", () => {
    const urlValues = all
      .map((e) => e.attrs.DefaultValue)
      .filter((v): v is string => typeof v === "string" && /^https?:/i.test(v));
    // SourceLocation, IconUrl, HighResolutionIconUrl, SupportUrl, bt:Url, bt:Image
    expect(urlValues.length).toBeGreaterThanOrEqual(10);
    for (const url of urlValues) {
      expect(url.startsWith(DEV_URL) ? url : `${url} (not under ${DEV_URL})`).toBe(url);
      const file = distFileFor(url);
      expect({ url, emitted: fs.existsSync(path.join(dist, file)) }).toEqual({
        url,
        emitted: true,
      });
    }
    expect(named("AppDomain").map((e) => e.text)).toEqual([DEV_URL.slice(0, -1)]);
  });

  test("icons are PNGs of the sizes they claim", () => {
    for (const size of [16, 32, 64, 80, 128]) {
      expect(pngSize(path.join(ROOT, "assets", `icon-${size}.png`))).toEqual({
        width: size,
        height: size,
      });
      expect(fs.existsSync(path.join(dist, "assets", `icon-${size}.png`))).toBe(true);
    }
    const images = resources("bt:Images", "bt:Image");
    for (const e of named("bt:Image").filter((e) => e.attrs.size)) {
      const size = Number(e.attrs.size);
      expect(pngSize(path.join(dist, distFileFor(images.get(e.attrs.resid) ?? "")))).toEqual({
        width: size,
        height: size,
      });
    }
    const iconUrl = (app.IconUrl as XmlNode)["@_DefaultValue"] as string;
    const hiRes = (app.HighResolutionIconUrl as XmlNode)["@_DefaultValue"] as string;
    expect(pngSize(path.join(dist, distFileFor(iconUrl)))).toEqual({ width: 32, height: 32 });
    expect(pngSize(path.join(dist, distFileFor(hiRes)))).toEqual({ width: 64, height: 64 });
  });

  test("the built manifest is the source one, with the production URL in a production build", () => {
    const built = fs.readFileSync(path.join(dist, "manifest.xml"), "utf8");
    const production = text
      .split(DEV_URL)
      .join(urlProd)
      .split(DEV_URL.slice(0, -1))
      .join(urlProd.slice(0, -1));
    expect([text, production]).toContainEqual(built);
    if (built === production) expect(built).not.toContain("localhost");
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

  test("every function's help link opens a section of the built help page", () => {
    const meta = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as { functions: { id: string; helpUrl?: string }[] };
    const help = fs.readFileSync(path.join(dist, "help.html"), "utf8");
    for (const f of meta.functions) {
      expect(f.helpUrl).toMatch(/\/help\.html#cals[a-z]+$/);
      const anchor = f.helpUrl!.split("#")[1];
      // Production builds minify the page, which may drop attribute quotes.
      expect(help).toMatch(new RegExp(`id="?${anchor}"?[\\s>]`));
      expect(anchor).toBe(`cals${f.id.toLowerCase()}`);
    }
    expect(fs.existsSync(path.join(dist, "licensing-rules.html"))).toBe(true);
    expect(help).toMatch(/href="?licensing-rules\.html/);
  });
});
