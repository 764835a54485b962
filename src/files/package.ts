/**
 * Adds worksheets to an .xlsx package and leaves everything else as it was. Every part of
 * the original (sheets, styles it already had, charts, pivot tables, tables, comments,
 * defined names, VBA, custom XML, ...) is carried over with the same bytes; only the parts
 * that list sheets and styles are amended, through a real XML parser (fast-xml-parser, in
 * order-preserving mode): [Content_Types].xml, the workbook part, its relationships and
 * styles.xml. A CSV input starts from a minimal package of our own.
 */
import * as path from "path";
import * as zlib from "zlib";
import { AsyncFlateStreamHandler, unzipSync, Zip, ZipInputFile } from "fflate";
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import type { CellStyle } from "../report";
import { argb, SheetExtras, Sink, StyleSink } from "./sheetXml";
import { relsPath, resolveTarget } from "./xlsx";

type Node = Record<string, unknown>;
type Nodes = Node[];

const ATTR = ":@";
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  commentPropName: "#comment",
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  suppressEmptyNode: true,
  processEntities: true,
  commentPropName: "#comment",
});

const T_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const T_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

function parse(xml: Uint8Array | string): Nodes {
  return parser.parse(typeof xml === "string" ? xml : Buffer.from(xml).toString("utf8")) as Nodes;
}

function build(nodes: Nodes): Uint8Array {
  return Buffer.from(builder.build(nodes) as string, "utf8");
}

function nameOf(node: Node): string {
  return Object.keys(node).find((k) => k !== ATTR) ?? "";
}

function localOf(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

function kids(node: Node): Nodes {
  return node[nameOf(node)] as Nodes;
}

function attrs(node: Node): Record<string, string> {
  return (node[ATTR] as Record<string, string>) ?? (node[ATTR] = {});
}

function child(node: Node, local: string): Node | undefined {
  return kids(node).find((n) => localOf(nameOf(n)) === local);
}

/** The document element (the first element that is not the declaration or a comment). */
function root(doc: Nodes): Node {
  const r = doc.find((n) => !nameOf(n).startsWith("?") && nameOf(n) !== "#comment" && nameOf(n) !== "#text");
  if (!r) throw new Error("a package part has no root element");
  return r;
}

/** An element named like its siblings (same prefix as the parent). */
function element(parent: Node, local: string, attributes: Record<string, string> = {}, children: Nodes = []): Node {
  const pname = nameOf(parent);
  const prefix = pname.includes(":") ? pname.slice(0, pname.indexOf(":") + 1) : "";
  return { [prefix + local]: children, [ATTR]: attributes };
}

/** The child `local`, created at its place in `order` when missing. */
function ensureChild(parent: Node, local: string, order: readonly string[]): Node {
  const found = child(parent, local);
  if (found) return found;
  const made = element(parent, local);
  const list = kids(parent);
  const rank = order.indexOf(local);
  let at = list.length;
  for (let i = 0; i < list.length; i++) {
    const r = order.indexOf(localOf(nameOf(list[i])));
    if (r > rank) {
      at = i;
      break;
    }
  }
  list.splice(at, 0, made);
  return made;
}

const STYLE_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"];
const BUILTIN_FORMATS: Record<string, number> = { General: 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10 };

/**
 * A zip entry deflated by Node's zlib (native, several times faster than a JavaScript
 * deflate on a million-row sheet). Each chunk ends with a sync flush, so the chunks join
 * into one deflate stream and nothing is held back between them.
 */
class NativeDeflate implements ZipInputFile {
  size = 0;
  crc = 0;
  readonly compression = 8;
  ondata!: AsyncFlateStreamHandler;

  constructor(
    readonly filename: string,
    private readonly level: number,
  ) {}

  push(data: Uint8Array, final = false): void {
    this.size += data.length;
    if (data.length) this.crc = zlib.crc32(data, this.crc);
    const flush = final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
    this.ondata(null, zlib.deflateRawSync(data, { level: this.level, finishFlush: flush }), final);
  }
}

/** styles.xml with CALS's cell formats appended after the workbook's own (whose indices stay). */
class Styles implements StyleSink {
  private readonly sheet: Node;
  private readonly cache = new Map<string, number>();
  private readonly fonts = new Map<string, number>();
  private readonly fills = new Map<string, number>();
  private readonly formats = new Map<string, number>();
  private border = -1;

  constructor(private readonly doc: Nodes) {
    this.sheet = root(doc);
    for (const n of ["fonts", "fills", "borders", "cellXfs"]) ensureChild(this.sheet, n, STYLE_ORDER);
    // a stylesheet must start with a default font, two fills, a border and an xf
    if (this.count("fonts") === 0)
      this.add("fonts", element(this.sheet, "font", {}, [element(this.sheet, "sz", { val: "11" }), element(this.sheet, "name", { val: "Calibri" })]));
    while (this.count("fills") < 2)
      this.add("fills", element(this.sheet, "fill", {}, [element(this.sheet, "patternFill", { patternType: this.count("fills") === 0 ? "none" : "gray125" })]));
    if (this.count("borders") === 0) this.add("borders", element(this.sheet, "border"));
    if (this.count("cellXfs") === 0) this.add("cellXfs", element(this.sheet, "xf", { numFmtId: "0", fontId: "0", fillId: "0", borderId: "0" }));
    const numFmts = child(this.sheet, "numFmts");
    for (const f of numFmts ? kids(numFmts) : []) {
      const a = attrs(f);
      if (a.formatCode !== undefined) this.formats.set(a.formatCode, Number(a.numFmtId));
    }
  }

  private list(name: string): Nodes {
    return kids(ensureChild(this.sheet, name, STYLE_ORDER)).filter((n) => nameOf(n) !== "#text" && nameOf(n) !== "#comment");
  }

  private count(name: string): number {
    return this.list(name).length;
  }

  private add(name: string, node: Node): number {
    const parent = ensureChild(this.sheet, name, STYLE_ORDER);
    const index = this.count(name);
    kids(parent).push(node);
    attrs(parent).count = String(index + 1);
    return index;
  }

  private numFmt(code: string | undefined): number {
    if (!code) return 0;
    if (BUILTIN_FORMATS[code] !== undefined) return BUILTIN_FORMATS[code];
    let id = this.formats.get(code);
    if (id === undefined) {
      id = Math.max(163, ...this.formats.values()) + 1;
      this.formats.set(code, id);
      this.add("numFmts", element(this.sheet, "numFmt", { numFmtId: String(id), formatCode: code }));
    }
    return id;
  }

  private font(style: CellStyle): number {
    if (!style.fontColor && !style.bold && !style.italic && !style.fontSize) return 0;
    const key = `${style.fontColor}|${style.bold}|${style.italic}|${style.fontSize}`;
    let id = this.fonts.get(key);
    if (id === undefined) {
      const parts: Nodes = [];
      if (style.bold) parts.push(element(this.sheet, "b"));
      if (style.italic) parts.push(element(this.sheet, "i"));
      parts.push(element(this.sheet, "sz", { val: String(style.fontSize ?? 11) }));
      if (style.fontColor) parts.push(element(this.sheet, "color", { rgb: argb(style.fontColor) }));
      parts.push(element(this.sheet, "name", { val: "Calibri" }), element(this.sheet, "family", { val: "2" }));
      id = this.add("fonts", element(this.sheet, "font", {}, parts));
      this.fonts.set(key, id);
    }
    return id;
  }

  private fill(color: string | undefined): number {
    if (!color) return 0;
    let id = this.fills.get(color);
    if (id === undefined) {
      const c = argb(color);
      const pattern = element(this.sheet, "patternFill", { patternType: "solid" }, [
        element(this.sheet, "fgColor", { rgb: c }),
        element(this.sheet, "bgColor", { rgb: c }),
      ]);
      id = this.add("fills", element(this.sheet, "fill", {}, [pattern]));
      this.fills.set(color, id);
    }
    return id;
  }

  private bottomBorder(): number {
    if (this.border < 0) {
      const s = this.sheet;
      const bottom = element(s, "bottom", { style: "thin" }, [element(s, "color", { rgb: "FF808080" })]);
      this.border = this.add("borders", element(s, "border", {}, [element(s, "left"), element(s, "right"), element(s, "top"), bottom, element(s, "diagonal")]));
    }
    return this.border;
  }

  xf(style: CellStyle, numFmt?: string): number {
    const key = JSON.stringify([style.fill, style.fontColor, style.bold, style.italic, style.fontSize, style.wrap, style.align, style.borderBottom, numFmt]);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const a: Record<string, string> = {
      numFmtId: String(this.numFmt(numFmt)),
      fontId: String(this.font(style)),
      fillId: String(this.fill(style.fill)),
      borderId: String(style.borderBottom ? this.bottomBorder() : 0),
      xfId: "0",
    };
    if (a.numFmtId !== "0") a.applyNumberFormat = "1";
    if (a.fontId !== "0") a.applyFont = "1";
    if (a.fillId !== "0") a.applyFill = "1";
    if (a.borderId !== "0") a.applyBorder = "1";
    const children: Nodes = [];
    if (style.wrap || style.align) {
      a.applyAlignment = "1";
      const al: Record<string, string> = {};
      if (style.align) al.horizontal = style.align;
      if (style.wrap) {
        al.wrapText = "1";
        al.vertical = "top";
      }
      children.push(element(this.sheet, "alignment", al));
    }
    const id = this.add("cellXfs", element(this.sheet, "xf", a, children));
    this.cache.set(key, id);
    return id;
  }

  bytes(): Uint8Array {
    return build(this.doc);
  }
}

/** A sheet to add: its name, and a writer of its XML given the package's styles. */
export interface NewSheet {
  name: string;
  write: (styles: StyleSink, sink: Sink) => SheetExtras;
}

const MINIMAL: Record<string, string> = {
  "[Content_Types].xml":
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
  "_rels/.rels":
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>',
  "docProps/app.xml":
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>CALS</Application></Properties>',
  "xl/workbook.xml":
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets></sheets></workbook>',
  "xl/_rels/workbook.xml.rels":
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  "xl/styles.xml":
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
};

/** A package with no sheets yet (CSV input): parts of our own, in the usual places. */
export function minimalPackage(): Record<string, Uint8Array> {
  const parts: Record<string, Uint8Array> = {};
  for (const [name, xml] of Object.entries(MINIMAL)) parts[name] = Buffer.from(xml, "utf8");
  return parts;
}

export function unpack(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** The package-relative target of `part` from the folder of `from` (both zip names). */
function relativeTarget(from: string, part: string): string {
  return path.posix.relative(path.posix.dirname(from), part);
}

/**
 * The package `parts` with `sheets` added after its own, written as zip chunks to `out`.
 * Parts not amended are passed on as the same bytes.
 */
export function addSheets(parts: Record<string, Uint8Array>, sheets: NewSheet[], out: (chunk: Uint8Array) => void): void {
  const rootRels = parse(parts["_rels/.rels"] ?? "");
  const officeDoc = kids(root(rootRels))
    .map(attrs)
    .find((a) => /\/officeDocument$/.test(a.Type ?? ""));
  const wbPart = officeDoc ? resolveTarget("", officeDoc.Target) : "xl/workbook.xml";
  const wbRelsPart = relsPath(wbPart);
  const wbDoc = parse(parts[wbPart]);
  const relsDoc = parse(parts[wbRelsPart] ?? '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
  const typesDoc = parse(parts["[Content_Types].xml"]);
  const wb = root(wbDoc);
  const rels = root(relsDoc);
  const types = root(typesDoc);

  // styles: the workbook's own, or a new part
  const relList = kids(rels).filter((n) => localOf(nameOf(n)) === "Relationship");
  const stylesRel = relList.map(attrs).find((a) => a.Type === T_STYLES);
  let stylesPart = stylesRel ? resolveTarget(wbPart, stylesRel.Target) : path.posix.join(path.posix.dirname(wbPart), "styles.xml");
  if (!parts[stylesPart]) {
    parts[stylesPart] = Buffer.from(MINIMAL["xl/styles.xml"], "utf8");
    if (!stylesRel) kids(rels).push(element(rels, "Relationship", { Id: freeId(relList), Type: T_STYLES, Target: relativeTarget(wbPart, stylesPart) }));
    kids(types).push(element(types, "Override", { PartName: "/" + stylesPart, ContentType: CT_STYLES }));
  }
  const styles = new Styles(parse(parts[stylesPart]));

  // the r: prefix the workbook part uses for relationship ids
  const wbAttrs = attrs(wb);
  let rPrefix = Object.keys(wbAttrs)
    .find((k) => k.startsWith("xmlns:") && wbAttrs[k] === NS_R)
    ?.slice(6);
  if (!rPrefix) {
    rPrefix = "r";
    while (wbAttrs[`xmlns:${rPrefix}`] !== undefined) rPrefix += "r";
    wbAttrs[`xmlns:${rPrefix}`] = NS_R;
  }
  const sheetsEl = ensureChild(wb, "sheets", ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets"]);
  const existing = kids(sheetsEl).filter((n) => localOf(nameOf(n)) === "sheet");
  let sheetId = Math.max(0, ...existing.map((n) => Number(attrs(n).sheetId) || 0));
  let position = existing.length;
  const printTitles: { index: number; name: string; rows: string }[] = [];

  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out(chunk);
  });
  const amendedNames = new Set([wbPart, wbRelsPart, "[Content_Types].xml", stylesPart]);
  // every part not amended: the same bytes, in the original order
  for (const [name, data] of Object.entries(parts)) {
    if (amendedNames.has(name)) continue;
    const entry = new NativeDeflate(name, data.length > 4 << 20 ? 1 : 6);
    zip.add(entry);
    entry.push(data, true);
  }
  const folder = path.posix.join(path.posix.dirname(wbPart), "worksheets");
  let n = 1;
  const added: string[] = [];
  for (const sheet of sheets) {
    while (parts[`${folder}/sheet${n}.xml`] || added.includes(`${folder}/sheet${n}.xml`)) n++;
    const part = `${folder}/sheet${n}.xml`;
    added.push(part);
    const rid = freeId(kids(rels).filter((x) => localOf(nameOf(x)) === "Relationship"));
    kids(rels).push(element(rels, "Relationship", { Id: rid, Type: T_WORKSHEET, Target: relativeTarget(wbPart, part) }));
    kids(types).push(element(types, "Override", { PartName: "/" + part, ContentType: CT_WORKSHEET }));
    kids(sheetsEl).push(element(sheetsEl, "sheet", { name: sheet.name, sheetId: String(++sheetId), [`${rPrefix}:id`]: rid }));
    // the sheet's XML goes into the zip as it is made
    const entry = new NativeDeflate(part, 1);
    zip.add(entry);
    const extras = sheet.write(styles, (bytes) => entry.push(bytes));
    entry.push(new Uint8Array(0), true);
    if (extras.printTitleRows) printTitles.push({ index: position, name: sheet.name, rows: extras.printTitleRows });
    position++;
  }
  if (printTitles.length) {
    const order = [
      "fileVersion",
      "fileSharing",
      "workbookPr",
      "workbookProtection",
      "bookViews",
      "sheets",
      "functionGroups",
      "externalReferences",
      "definedNames",
    ];
    const names = ensureChild(wb, "definedNames", order);
    for (const t of printTitles) {
      kids(names).push(
        element(names, "definedName", { name: "_xlnm.Print_Titles", localSheetId: String(t.index) }, [{ "#text": `${quoteSheet(t.name)}!${t.rows}` }]),
      );
    }
  }

  const amended: Record<string, Uint8Array> = {
    [wbPart]: build(wbDoc),
    [wbRelsPart]: build(relsDoc),
    "[Content_Types].xml": build(typesDoc),
    [stylesPart]: styles.bytes(),
  };
  for (const [name, data] of Object.entries(amended)) {
    const entry = new NativeDeflate(name, 6);
    zip.add(entry);
    entry.push(data, true);
  }
  zip.end();
}

function freeId(relList: Nodes): string {
  const ids = new Set(relList.map((r) => attrs(r).Id));
  let i = relList.length + 1;
  while (ids.has(`rId${i}`)) i++;
  return `rId${i}`;
}
