/**
 * The Fluent UI web components the pane uses, and only those. Required file by file (not from
 * the package index): this project's TypeScript emits CommonJS, and webpack keeps every export
 * of a module that is require()d, so requiring the index would bundle every component.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type DesignSystem = { register(...components: unknown[]): unknown };

export function registerFluent(): void {
  const { provideFluentDesignSystem } = require("@fluentui/web-components/dist/esm/fluent-design-system.js") as {
    provideFluentDesignSystem: () => DesignSystem;
  };
  const { fluentButton } = require("@fluentui/web-components/dist/esm/button/index.js");
  const { fluentSelect } = require("@fluentui/web-components/dist/esm/select/index.js");
  const { fluentOption } = require("@fluentui/web-components/dist/esm/listbox-option/index.js");
  const { fluentTextField } = require("@fluentui/web-components/dist/esm/text-field/index.js");
  const { fluentProgress } = require("@fluentui/web-components/dist/esm/progress/progress/index.js");
  const { fluentCard } = require("@fluentui/web-components/dist/esm/card/index.js");
  provideFluentDesignSystem().register(fluentButton(), fluentSelect(), fluentOption(), fluentTextField(), fluentProgress(), fluentCard());
}
