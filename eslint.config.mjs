// `npm run lint` (office-addin-lint) uses this file when it is here: Microsoft's add-in rules
// and prettier, with two changes for this project.
import officeAddins from "eslint-plugin-office-addins";
import tsParser from "@typescript-eslint/parser";

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
