/*
 * The requirement sets manifest.xml declares are the ones the bundled code needs. The TypeScript
 * checker follows the webpack entries (the pane and the functions) through every file they
 * import, resolves each property, method, class and enum member the code touches to its
 * declaration, and reads that declaration's "[Api set: NAME X.Y]" tag in @types/office-js or
 * @types/custom-functions-runtime. A use inside `if (host.supports("X.Y"))` (or after
 * `if (!host.supports("X.Y")) return`) needs only what its guard checked at run time.
 * The highest unguarded need per set must be exactly what the manifest declares.
 */
/* global describe, test, expect */

import fs from "fs";
import os from "os";
import path from "path";
import ts from "typescript";
import { XMLParser } from "fast-xml-parser";

const ROOT = path.resolve(__dirname, "..");
const ENTRIES = ["src/taskpane/taskpane.ts", "src/functions/functions.ts"].map((f) => path.join(ROOT, f));
/** Sets the manifest declares for what it uses itself (the long-lived runtime), not for calls in code. */
const MANIFEST_ONLY_SETS = new Set(["SharedRuntime"]);
/** The ExcelHost method that asks Office for an ExcelApi version at run time (src/excel/host.ts). */
const GUARD = /\bsupports\(\s*"(\d+\.\d+)"\s*\)/;

interface Use {
  set: string;
  version: string;
  member: string;
  at: string;
}

const compare = (a: string, b: string) => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  return x[0] - y[0] || (x[1] ?? 0) - (y[1] ?? 0);
};

function compilerOptions(): ts.CompilerOptions {
  const file = path.join(ROOT, "tsconfig.json");
  const config = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

/** The "[Api set: NAME X.Y]" tag of a declaration, if it has one. */
function apiSet(symbol: ts.Symbol, checker: ts.TypeChecker): { set: string; version: string } | undefined {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  for (const tag of target.getJsDocTags(checker)) {
    const text = ts.displayPartsToString(tag.text);
    const m = /\[Api set: (\w+) (\d+\.\d+)/.exec(text);
    if (m) return { set: m[1], version: m[2] };
  }
  return undefined;
}

/** The ExcelApi version that a run-time guard around `node` has checked, if any. */
function guardedVersion(node: ts.Node): string | undefined {
  let best: string | undefined;
  const note = (text: string) => {
    const m = GUARD.exec(text);
    if (m && (!best || compare(m[1], best) > 0)) best = m[1];
  };
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    // if (supports(...)) { here }   and   supports(...) && here   and   supports(...) ? here : ...
    if (ts.isIfStatement(parent) && child === parent.thenStatement && !/^!/.test(parent.expression.getText())) note(parent.expression.getText());
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && child === parent.right)
      note(parent.left.getText());
    if (ts.isConditionalExpression(parent) && child === parent.whenTrue) note(parent.condition.getText());
    // if (!supports(...)) return;   ...   here
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      for (const statement of parent.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement) && /^!/.test(statement.expression.getText()) && leaves(statement.thenStatement)) note(statement.expression.getText());
      }
    }
  }
  return best;
}

/** A branch that always returns (or throws) before the code after it. */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && leaves(last);
  }
  return false;
}

/** Every tagged Office member the program's own files use, with the guard around it. */
function officeUses(program: ts.Program): Use[] {
  const checker = program.getTypeChecker();
  const uses: Use[] = [];
  const record = (symbol: ts.Symbol | undefined, node: ts.Node, member: string) => {
    if (!symbol) return;
    const tag = apiSet(symbol, checker);
    if (!tag) return;
    const guard = guardedVersion(node);
    const sf = node.getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    const at = `${path.relative(ROOT, sf.fileName)}:${line}`;
    if (tag.set === "ExcelApi" && guard && compare(guard, tag.version) >= 0) return; // checked at run time
    uses.push({ ...tag, member, at });
  };
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes("node_modules")) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        record(checker.getSymbolAtLocation(node.name), node, node.getText());
      } else if (ts.isNewExpression(node) || ts.isTypeReferenceNode(node)) {
        // new CustomFunctions.Error(...): the class itself carries the tag.
      }
      // range.load("values, rowCount"): each loaded property is a use too.
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "load") {
        const owner = checker.getTypeAtLocation(node.expression.expression);
        for (const arg of node.arguments) {
          if (!ts.isStringLiteral(arg)) continue;
          for (const name of arg.text.split(",").map((s) => s.trim().split("/")[0])) {
            if (name) record(owner.getProperty(name), arg, `${node.expression.expression.getText()}.load("${name}")`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return uses;
}

/** The highest need per set, with one place that needs it. */
function needs(uses: Use[]): Map<string, Use> {
  const top = new Map<string, Use>();
  for (const u of uses) {
    const seen = top.get(u.set);
    if (!seen || compare(u.version, seen.version) > 0) top.set(u.set, u);
  }
  return top;
}

function declaredSets(manifest: string): Record<string, string> {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (name) => name === "Set" });
  const doc = parser.parse(manifest) as { OfficeApp: { Requirements: { Sets: { Set: { "@_Name": string; "@_MinVersion": string }[] } } } };
  return Object.fromEntries(doc.OfficeApp.Requirements.Sets.Set.map((s) => [s["@_Name"], s["@_MinVersion"]]));
}

/** A throwaway program over one source text, for testing the scanner itself. */
function programFor(source: string): ts.Program {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-sets-"));
  const file = path.join(dir, "probe.ts");
  fs.writeFileSync(file, source);
  const options = { ...compilerOptions(), noEmit: true, typeRoots: [path.join(ROOT, "node_modules", "@types")] };
  return ts.createProgram([file], options);
}

describe("the scanner", () => {
  // One program, several probes: building a program over office-js takes seconds.
  const probe = `
    declare const host: { supports(v: string): boolean };
    export async function probe(context: Excel.RequestContext, sheet: Excel.Worksheet) {
      sheet.getRangeByIndexes(0, 0, 1, 1);                              // 1.7, unguarded
      if (host.supports("1.9")) sheet.pageLayout.orientation = "Landscape"; // 1.9, guarded
      sheet.pageLayout.zoom = { scale: 100 };                            // 1.9, unguarded
      if (host.supports("1.6")) sheet.pageLayout.orientation = "Portrait"; // 1.9 under a 1.6 guard: still needed
      sheet.load("visibility");                                           // 1.1
      throw new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, "x");
    }
    export function early(sheet: Excel.Worksheet) {
      if (!host.supports("1.12")) return;
      sheet.customProperties.add("a", "b");                              // 1.12, guarded by the early return
    }`;
  const uses = officeUses(programFor(probe));
  const lines = (set: string, version: string) => uses.filter((u) => u.set === set && u.version === version).map((u) => u.member);

  test("finds an unguarded method, property and enum member with their sets", () => {
    expect(lines("ExcelApi", "1.7")).toContain("sheet.getRangeByIndexes");
    expect(lines("ExcelApi", "1.9")).toEqual(expect.arrayContaining(["sheet.pageLayout"]));
    expect(lines("CustomFunctionsRuntime", "1.3")).toContain("CustomFunctions.ErrorCode.notAvailable");
    expect(lines("ExcelApi", "1.1")).toContain('sheet.load("visibility")');
  });

  test("a use under a high enough supports() guard needs nothing; under a lower one it still does", () => {
    const pageLayout = uses.filter((u) => u.member === "sheet.pageLayout");
    expect(pageLayout.map((u) => u.at.split(":").pop())).toEqual(["6", "7"]);
    expect(uses.some((u) => u.member.includes("customProperties"))).toBe(false);
  });
});

describe("manifest.xml's requirement sets", () => {
  const program = ts.createProgram(ENTRIES, { ...compilerOptions(), noEmit: true });
  const uses = officeUses(program);
  const top = needs(uses);
  const declared = declaredSets(fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8"));

  test("the scan saw the code's Office calls", () => {
    const files = new Set(uses.map((u) => u.at.split(":")[0]));
    expect([...files]).toEqual(expect.arrayContaining(["src/excel/read.ts", "src/excel/write.ts", "src/functions/functions.ts"]));
    expect(uses.length).toBeGreaterThan(50);
  });

  test("declare exactly the highest version the code needs without a run-time check", () => {
    const needed = Object.fromEntries([...top].map(([set, u]) => [set, u.version]));
    const codeSets = Object.fromEntries(Object.entries(declared).filter(([set]) => !MANIFEST_ONLY_SETS.has(set)));
    // On a mismatch, say which call needs the higher set.
    const why = [...top.values()].map((u) => `${u.set} ${u.version}: ${u.member} at ${u.at}`);
    expect({ declared: codeSets, why }).toEqual({ declared: needed, why });
  });

  test("the shared runtime is declared, as the manifest's long-lived Runtime needs it", () => {
    expect(declared.SharedRuntime).toBe("1.1");
  });
});
