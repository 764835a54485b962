/*
 * CALS task pane: a thin face. It wires the page to the Excel adapter (src/excel, the only code
 * that calls Excel) and the pure audit; it decides nothing about licensing or sheets itself.
 * The custom functions live in their own chunk (functions.js) that the same page loads.
 */
import type { Problem } from "../audit";
import {
  auditWorkbook,
  AuditProgress,
  defaultSheets,
  ExcelHost,
  explainError,
  insertSample,
  buildInventorySheets,
  officeExcelHost,
  outcomeOf,
  PaneSettings,
  readWorkbookState,
  SampleKind,
  selectRow,
  StepError,
  testOnlyHost,
  WorkbookState,
} from "../excel";
import { VERSIONS } from "../licensing";
import { ORG_WIDE_TRIGGERS } from "../licensing";
import { workerEngine } from "./engine";
import { registerFluent } from "./fluent";
import { cleanPrice, formatCount, formatMoney, MODE_HELP, problemLabel, resultSummary } from "./result";

const OUTSIDE_OFFICE =
  "Open this page from Excel: sideload manifest.xml (Home > Add-ins > More add-ins > Upload My Add-in), then select Audit licences on the Home tab.";

const MAX_PROBLEMS_SHOWN = 100;

type Kind = "info" | "ok" | "warning" | "error";

/** A fluent-select or fluent-text-field: both have a string `value`. */
type ValueElement = HTMLElement & { value: string; disabled?: boolean };

const el = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function setStatus(text: string, kind: Kind = "info"): void {
  const status = el("status");
  status.textContent = text;
  status.className = `status ${kind}`;
}

let host: ExcelHost | null = null;
let running: AbortController | null = null;
let lastInventory = "";

// ---------------------------------------------------------------------------------------------
// Sheets and settings
// ---------------------------------------------------------------------------------------------

/** Replaces a fluent-select's options; the select takes its new options a tick later, so the value is set again then. */
async function fillSelect(select: ValueElement, options: { value: string; label: string }[], chosen: string): Promise<void> {
  const keep = options.some((o) => o.value === chosen) ? chosen : (options[0]?.value ?? "");
  select.replaceChildren(
    ...options.map((o) => {
      const option = document.createElement("fluent-option") as HTMLElement & { value: string; selected: boolean };
      option.setAttribute("value", o.value);
      option.textContent = o.label;
      if (o.value === keep) option.setAttribute("selected", "");
      return option;
    }),
  );
  select.value = keep;
  await new Promise((resolve) => setTimeout(resolve, 0));
  select.value = keep;
}

function selectedValue(id: string): string {
  return (el<ValueElement>(id).value ?? "").trim();
}

function fillVersions(): void {
  const options = [{ value: "", label: "None: every row must say its version" }].concat(VERSIONS.map((v) => ({ value: v.id, label: v.name })));
  void fillSelect(el<ValueElement>("default-version"), options, "");
}

function applySettings(s: PaneSettings | null): void {
  if (!s) return;
  if (s.mode && MODE_HELP[s.mode]) el<ValueElement>("mode").value = s.mode;
  if (s.defaultVersion !== undefined) el<ValueElement>("default-version").value = s.defaultVersion;
  el<HTMLInputElement>("as-of").value = s.asOf ?? "";
  const prices = s.prices ?? {};
  el<ValueElement>("price-user").value = prices.userStandard ?? "";
  el<ValueElement>("price-device").value = prices.deviceStandard ?? "";
  el<ValueElement>("price-user-enterprise").value = prices.userEnterprise ?? "";
  el<ValueElement>("price-device-enterprise").value = prices.deviceEnterprise ?? "";
  el<ValueElement>("price-server").value = prices.server ?? "";
  el<ValueElement>("price-connector").value = prices.externalConnector ?? "";
  for (const t of ORG_WIDE_TRIGGERS) el<HTMLInputElement>(`org-${t.id}`).checked = !!s.orgWide?.[t.id];
  const anyOrgWide = ORG_WIDE_TRIGGERS.some((t) => s.orgWide?.[t.id]);
  if (Object.values(prices).some(Boolean) || s.defaultVersion || s.asOf || anyOrgWide) (el("more") as HTMLDetailsElement).open = true;
  updateModeHelp();
}

function currentSettings(): PaneSettings {
  return {
    inventorySheet: selectedValue("inventory-sheet"),
    ownedSheet: selectedValue("owned-sheet"),
    mode: selectedValue("mode") || "auto",
    defaultVersion: selectedValue("default-version"),
    asOf: el<HTMLInputElement>("as-of").value.trim(),
    prices: {
      userStandard: selectedValue("price-user"),
      deviceStandard: selectedValue("price-device"),
      userEnterprise: selectedValue("price-user-enterprise"),
      deviceEnterprise: selectedValue("price-device-enterprise"),
      server: selectedValue("price-server"),
      externalConnector: selectedValue("price-connector"),
    },
    orgWide: Object.fromEntries(ORG_WIDE_TRIGGERS.map((t) => [t.id, el<HTMLInputElement>(`org-${t.id}`).checked])),
  };
}

/** Re-reads the sheet list; `first` also applies the settings saved in the workbook. */
async function refreshSheets(first: boolean, prefer?: { inventory?: string; owned?: string }): Promise<WorkbookState | null> {
  if (!host) return null;
  const state = await readWorkbookState(host);
  const reports = new Set(state.reportSheets.map((s) => s.toLowerCase()));
  const inputs = state.sheets.filter((s) => !reports.has(s.toLowerCase()));
  const defaults = defaultSheets(state);
  const inventory = prefer?.inventory ?? (first ? defaults.inventory : selectedValue("inventory-sheet") || defaults.inventory);
  const owned = prefer?.owned ?? (first ? defaults.owned : selectedValue("owned-sheet"));
  await Promise.all([
    fillSelect(
      el<ValueElement>("inventory-sheet"),
      inputs.map((s) => ({ value: s, label: s })),
      inventory,
    ),
    fillSelect(el<ValueElement>("owned-sheet"), [{ value: "", label: "None" }, ...inputs.map((s) => ({ value: s, label: s }))], owned),
  ]);
  if (first) applySettings(state.settings);
  return state;
}

function updateModeHelp(): void {
  el("mode-hint").textContent = MODE_HELP[selectedValue("mode") || "auto"] ?? "";
}

// ---------------------------------------------------------------------------------------------
// Working state
// ---------------------------------------------------------------------------------------------

const CONTROLS = ["insert-inventory", "insert-owned", "build-inventory", "inventory-sheet", "owned-sheet", "mode", "default-version", "audit"];

function setBusy(busy: boolean): void {
  for (const id of CONTROLS) {
    const c = el<ValueElement>(id);
    c.disabled = busy;
    c.toggleAttribute("disabled", busy);
  }
  el("working").hidden = !busy;
}

function showProgress(p: AuditProgress): void {
  const bar = el<HTMLElement & { value: number }>("progress");
  const text = el("progress-text");
  const ratio = p.total > 0 ? p.done / p.total : 0;
  if (p.step === "read") {
    bar.value = Math.round(60 * ratio);
    text.textContent = `Reading rows: ${formatCount(p.done)} of ${formatCount(p.total)}`;
  } else if (p.step === "audit") {
    bar.value = 65;
    text.textContent = `Auditing ${formatCount(p.total)} rows…`;
  } else {
    bar.value = 70 + Math.round(30 * ratio);
    text.textContent = `Writing the report: ${formatCount(p.done)} of ${formatCount(p.total)} rows`;
  }
}

// ---------------------------------------------------------------------------------------------
// Result
// ---------------------------------------------------------------------------------------------

function showResult(outcome: Awaited<ReturnType<typeof auditWorkbook>>): void {
  const r = resultSummary(outcome.report);
  const badge = el("result-status");
  badge.textContent = `${r.status === "compliant" ? "✔" : "✖"} ${r.word}`;
  badge.className = `badge ${r.status}`;
  el("result-sentence").textContent = r.sentence;
  el("result-required").textContent = formatCount(r.required);
  el("result-owned").textContent = formatCount(r.owned);
  const short = el("result-short");
  short.textContent = formatCount(r.short);
  short.classList.toggle("short", r.short > 0);
  const cost = el("result-cost");
  cost.textContent = formatMoney(r.cost);
  if (r.examplePrices) {
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = " at example prices";
    cost.append(note);
  }
  el("result-surplus").textContent =
    r.surplus > 0
      ? `${formatCount(r.surplus)} owned CAL${r.surplus === 1 ? " is" : "s are"} not needed (another type or version): see the CAL Summary sheet.`
      : "";
  el("result-sheets").textContent = `Written: ${outcome.written.sheetNames.map((n) => `"${n}"`).join(", ")}.`;
  el("result").hidden = false;
  showProblems(outcome.report.problems, outcome.written.sheetNames);
}

function showProblems(problems: Problem[], sheetNames: string[]): void {
  const list = el("problem-list");
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  list.replaceChildren(
    ...shown.map((p) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = `problem ${p.severity}`;
      const { where, what } = problemLabel(p);
      const strong = document.createElement("span");
      strong.className = "where";
      strong.textContent = `${p.severity === "error" ? "Error" : "Warning"}: ${where}`;
      const text = document.createElement("span");
      text.textContent = ` ${what}`;
      button.append(strong, text);
      button.addEventListener("click", () => void goToRow(p));
      li.append(button);
      return li;
    }),
  );
  const problemsSheet = sheetNames[2];
  el("problems-more").textContent =
    problems.length > shown.length ? `${formatCount(problems.length - shown.length)} more on sheet "${problemsSheet ?? "CAL Problems"}".` : "";
  el("problems").hidden = problems.length === 0;
}

async function goToRow(p: Problem): Promise<void> {
  if (!host) return;
  try {
    await selectRow(host, p.sheet, p.row);
    setStatus(`Selected row ${p.row} of "${p.sheet}".`, "info");
  } catch (e) {
    setStatus(explainError(e, "select").message, "error");
  }
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

async function runAudit(): Promise<void> {
  if (!host || running) return;
  const settings = currentSettings();
  if (!settings.inventorySheet) {
    setStatus("Pick the inventory sheet first, or insert the sample inventory.", "warning");
    return;
  }
  const prices: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings.prices ?? {})) {
    const clean = cleanPrice(value ?? "");
    if (clean !== undefined) prices[key] = clean;
  }
  running = new AbortController();
  setBusy(true);
  el("result").hidden = true;
  el("problems").hidden = true;
  setStatus(`Auditing "${settings.inventorySheet}"…`);
  showProgress({ step: "read", done: 0, total: 0 });
  try {
    const outcome = await auditWorkbook(
      host,
      {
        inventorySheet: settings.inventorySheet,
        ownedSheet: settings.ownedSheet,
        mode: settings.mode,
        defaultVersion: settings.defaultVersion,
        asOf: settings.asOf,
        prices,
        orgWide: settings.orgWide,
        paneSettings: settings,
      },
      { signal: running.signal, onProgress: showProgress, engine: workerEngine() ?? undefined },
    );
    lastInventory = outcome.inventory.sheet;
    showResult(outcome);
    const r = resultSummary(outcome.report);
    setStatus(`Audit done: ${r.word}. The report is on sheet "${outcome.written.sheetNames[0]}".`, r.status === "compliant" ? "ok" : "warning");
  } catch (e) {
    const step = e instanceof StepError ? e.step : "write";
    const cause = e instanceof StepError ? e.cause : e;
    const said = explainError(cause, step, step === "write" ? outcomeOf(cause) : undefined);
    setStatus(said.message, said.cancelled ? "info" : said.input ? "warning" : "error");
  } finally {
    running = null;
    setBusy(false);
    await refreshSheets(false, lastInventory ? { inventory: selectedValue("inventory-sheet") } : undefined).catch(() => null);
  }
}

async function insert(kind: SampleKind): Promise<void> {
  if (!host || running) return;
  setBusy(true);
  el("working").hidden = true;
  try {
    const name = await insertSample(host, kind);
    await refreshSheets(false, kind === "inventory" ? { inventory: name } : { owned: name });
    setStatus(
      kind === "inventory" ? `Inserted the sample inventory on sheet "${name}". Click Audit sheet.` : `Inserted the owned licences on sheet "${name}".`,
      "ok",
    );
  } catch (e) {
    setStatus(explainError(e, "insert").message, "error");
  } finally {
    setBusy(false);
  }
}

/** Builds an inventory sheet from the exports pasted into sheets; the audit date is today (UTC). */
async function buildFromExports(): Promise<void> {
  if (!host || running) return;
  setBusy(true);
  el("working").hidden = true;
  try {
    const now = new Date();
    const built = await buildInventorySheets(host, Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    await refreshSheets(false, { inventory: built.inventory });
    const from = built.used.map((u) => `"${u.sheet}"`).join(", ");
    setStatus(
      `Built "${built.inventory}" from ${from}. ${built.summary.slice(0, 2).join(" ")} See "${built.excluded}" for what was left out and why. Click Audit sheet.`,
      "ok",
    );
  } catch (e) {
    setStatus(e instanceof Error && /^No sheet holds/.test(e.message) ? e.message : explainError(e, "insert").message, "error");
  } finally {
    setBusy(false);
  }
}

function wire(): void {
  el("audit-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void runAudit();
  });
  el("audit").addEventListener("click", (e) => {
    e.preventDefault();
    void runAudit();
  });
  el("cancel").addEventListener("click", () => {
    if (running) {
      running.abort();
      setStatus("Cancelling: removing what this run added…");
    }
  });
  el("insert-inventory").addEventListener("click", () => void insert("inventory"));
  el("insert-owned").addEventListener("click", () => void insert("owned"));
  el("build-inventory").addEventListener("click", () => void buildFromExports());
  el("mode").addEventListener("change", updateModeHelp);
  // Sheets come and go while the pane is open: look again when the pane gets focus back.
  window.addEventListener("focus", () => {
    if (!running) void refreshSheets(false).catch(() => null);
  });
}

async function start(excel: ExcelHost): Promise<void> {
  host = excel;
  registerFluent();
  el("app").hidden = false;
  fillVersions();
  updateModeHelp();
  wire();
  try {
    const state = await refreshSheets(true);
    const inventory = selectedValue("inventory-sheet");
    setStatus(
      state && state.sheets.some((s) => s.toLowerCase() === "inventory")
        ? `Ready: pick the sheets, then click Audit sheet.`
        : inventory
          ? `Ready. No sheet named Inventory: the active sheet "${inventory}" is picked. Or insert the sample inventory to try it.`
          : "Ready. Insert the sample inventory to try it.",
    );
  } catch (e) {
    setStatus(explainError(e, "read").message, "error");
  }
}

function outside(text = OUTSIDE_OFFICE): void {
  setStatus(text, "warning");
}

if (typeof Office === "undefined") {
  // office.js did not load (offline, or blocked): we cannot be inside Office.
  const test = testOnlyHost();
  if (test) void start(test);
  else outside();
} else {
  Office.onReady((info) => {
    if (info.host === Office.HostType.Excel) {
      void start(officeExcelHost());
    } else if (!info.host) {
      // A plain browser. Only a browser test installs a stand-in workbook (see src/excel/host.ts).
      const test = testOnlyHost();
      if (test) void start(test);
      else outside();
    } else {
      outside("CALS works in Excel only.");
    }
  });
}
