// `npm run lint` (office-addin-lint) uses this file when it is here: Microsoft's add-in rules
// and prettier, with two changes for this project.
import officeAddins from "eslint-plugin-office-addins";
import tsParser from "@typescript-eslint/parser";
import path from "node:path";

// Each folder of src is entered through its index.ts: an import that reaches into another
// folder's file (src/audit/x.ts importing "../speed/names") is an error. Inside a folder,
// files (and tests) import each other freely; files outside src (test/, bench/) go through
// the index too.
const SRC = path.resolve(import.meta.dirname, "src");
const folderOf = (file) => {
  const rel = path.relative(SRC, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel.split(path.sep)[0];
};
const enterThroughIndex = {
  meta: { type: "problem", messages: { inside: "Import {{folder}} through its index.ts (\"{{want}}\"), not {{file}}." } },
  create(context) {
    const from = context.filename;
    const check = (node, source) => {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const target = path.resolve(path.dirname(from), source);
      const folder = folderOf(target);
      if (!folder || folder === folderOf(from)) return;
      const rest = path.relative(path.join(SRC, folder), target);
      if (rest === "" || rest === "index") return;
      const want = source.slice(0, source.length - rest.length).replace(/\/$/, "");
      context.report({ node, messageId: "inside", data: { folder: `src/${folder}`, want, file: source } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
      TSImportType: (node) => check(node, node.argument?.literal?.value ?? node.argument?.value),
    };
  },
};

export default [
  { ignores: ["dist/**", "lib/**", "coverage/**", "test-results/**", "node_modules/**"] },
  ...officeAddins.configs.recommended,
  {
    plugins: { "office-addins": officeAddins },
    languageOptions: { parser: tsParser },
    // The code keeps typescript-eslint's directives (require() on purpose, `any` for the
    // functions metadata) for stricter linters; this config does not run those rules.
    linterOptions: { reportUnusedDisableDirectives: "off" },
  },
  {
    files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    plugins: { house: { rules: { "enter-through-index": enterThroughIndex } } },
    rules: { "house/enter-through-index": "error" },
  },
  {
    files: ["**/*.ts"],
    rules: {
      // TypeScript already rejects undefined names, and knows the browser, Node and Office
      // globals each file may use; eslint's rule does not read the types.
      "no-undef": "off",
      // A value and a type may share a name in TypeScript (NameTable is both); TypeScript
      // rejects a real redeclaration itself.
      "no-redeclare": "off",
    },
  },
  {
    files: ["src/excel/**/*.ts"],
    rules: {
      // These rules look for context.sync() by name; the adapter syncs through one counted
      // sync() (every read is after one, as the Office.js tests in Chromium check).
      "office-addins/call-sync-before-read": "off",
      "office-addins/call-sync-after-load": "off",
      "office-addins/load-object-before-read": "off",
    },
  },
];
