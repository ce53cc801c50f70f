// The translator's editor: configuration, UI strings, state, DOM handles, small helpers
// and the JSON API client. The bottom layer: it imports nothing.

// ===== boot: configuration and strings from the page ==================================
export const root = document.getElementById("editor");
export const config = readJson("editor-config");
const strings = readJson("editor-strings");
const csrfMeta = document.querySelector('meta[name="csrf-token"]');
const csrf = (csrfMeta && csrfMeta.content) || (root && root.dataset.csrf) || "";
export const locale = document.documentElement.lang || "en";
const plural = new Intl.PluralRules(locale);
const fraction = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A score such as an alignment confidence: 0.50 in English, 0,50 in French. */
export function formatFraction(value) {
  return fraction.format(value);
}

function readJson(id) {
  const el = document.getElementById(id);
  try {
    return el ? JSON.parse(el.textContent) : {};
  } catch (err) {
    return {};
  }
}

/** A UI string from the page's catalogue, with {name} placeholders filled in. */
export function t(key, vars) {
  let text = strings[key] !== undefined ? String(strings[key]) : key;
  if (vars) {
    for (const name of Object.keys(vars)) text = text.split("{" + name + "}").join(String(vars[name]));
  }
  return text;
}

/** A counted string: the catalogue holds `key.one` and `key.other`. */
export function tn(key, n, vars) {
  const form = plural.select(n) === "one" ? ".one" : ".other";
  return t(key + form, Object.assign({ n: n.toLocaleString(locale) }, vars));
}

// ===== state ==========================================================================
export const CHUNK = 100; // units per request and per rendered block
export const SAVE_DELAY = 800; // autosave debounce (ms)
export const MAX_SAVE_WAIT = 5000; // ... but never longer than this while typing
export const PRESENCE_RENEW = 10000; // at most; a third of the presence's life (30 s by default)
export const MAX_BACKOFF = 15000;
export const DRAFT_PREFIX = "translator:draft:" + config.slug + ":";

// The shared state. Each field has one owning module (after the `//`): only that module
// writes the field; the others read it, or call the owner, or tell it through bus.js.
// tests/web/test_editor_script_layers.py holds every module to this.
export const S = {
  doc: null, // main.js: GET documents/<slug>
  me: null, // main.js
  langs: new Map(), // main.js: code → {code, name, editable, reviewer}
  columns: [], // main.js: chosen languages, in order
  filters: {}, // list.js
  total: 0, // list.js: units in the (filtered) list
  gen: 0, // list.js: bumped whenever the list is rebuilt: late answers are dropped
  chunks: [], // grid.js: {i, el, rows, units, loading, rendered, near}
  heights: [], // grid.js: measured height of chunk i: {rows, h}
  rowHeight: 46, // grid.js: running estimate for unmeasured chunks
  units: new Map(), // grid.js: unit id → unit (as the API gives it) for loaded chunks
  pos: new Map(), // grid.js: unit id → position in the list
  segs: new Map(), // grid.js: segment id → {unit: id, lang}
  rows: new Map(), // grid.js: position → rendered row element
  cells: new Map(), // grid.js: segment id → rendered cell element
  active: null, // editing.js: the open editor: {segId, unitId, lang, cell, ta, original, touched, saved}
  caret: null, // editing.js: last caret in a textarea: {unitId, lang, offset}
  quiet: false, // editing.js: focusing a cell without opening its editor
  target: null, // panel.js: last focused cell, for the side panel and the row menu: {segId, unitId, lang}
  jobs: new Map(), // saving.js: segment id → autosave job
  offline: false, // saving.js
  conflicts: new Map(), // conflicts.js: segment id → open conflict
  presence: new Map(), // presence.js: segment id → names of the others in it
  notices: new Map(), // presence.js: segment id → "changed by X" while I edit it
};

export const $ = (selector) => root.querySelector(selector);
export const grid = $(".grid");
export const gridHead = $(".grid-head");
export const gridBody = $(".grid-body");
const liveRegion = $("#editor-live");
export const saveStatus = $("#save-status");
export const countBox = $("#unit-count");
const messageBox = $("#editor-message");
export const filtersForm = $("#editor-filters");
export const filterError = $("#filter-error");
export const banner = $("#drafts-banner");
export const orphansBanner = $("#orphans-banner");
export const panel = $("#editor-panel");
export const panelButton = $("#panel-button");
export const help = $("#editor-help");
export const rowMenu = $("#row-menu");
export const columnsButton = $("#columns-button");
export const columnsPop = $("#columns-pop");
export const fieldSizing = !!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"));

// ===== small helpers ==================================================================
export function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined && text !== null) el.textContent = text;
  return el;
}

export function actionButton(label, action, className) {
  const b = h("button", className || "small", label);
  b.type = "button";
  if (action) b.dataset.action = action;
  return b;
}

export function langName(code) {
  const lang = S.langs.get(code);
  return lang ? lang.name : code;
}

export function editable(code) {
  const lang = S.langs.get(code);
  return !!(lang && lang.editable);
}

export function statusName(status) {
  return t("status." + status);
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** A word diff (`[["=", "Le "], ["-", "chat"], ["+", "chien"]]`) as spans, text only. */
export function renderOps(ops) {
  const box = h("div", "diff");
  for (const [op, part] of ops || []) {
    const tag = op === "-" ? "del" : op === "+" ? "ins" : "span";
    box.appendChild(h(tag, op === "-" ? "del" : op === "+" ? "ins" : "", part));
  }
  return box;
}

export function isTyping(el) {
  return !!el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
    (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(el.type)));
}

let announceTimer = null;
/** Say it to screen readers (one polite live region for the whole page). */
export function announce(text) {
  clearTimeout(announceTimer);
  liveRegion.textContent = "";
  announceTimer = setTimeout(() => (liveRegion.textContent = text), 50);
}

let messageTimer = null;
/** A short visible message under the toolbar (also announced). */
export function flash(text, kind) {
  clearTimeout(messageTimer);
  messageBox.textContent = text;
  messageBox.dataset.kind = kind || "info";
  messageBox.hidden = false;
  announce(text);
  messageTimer = setTimeout(() => (messageBox.hidden = true), 7000);
}

// ===== api ============================================================================
/** The server could not be reached (or answered 5xx): worth retrying. */
export class Offline extends Error {}

/** An answer that is not 2xx, for the callers that throw it. */
export class ApiError extends Error {
  constructor(res) {
    super((res.data && res.data.error) || "HTTP " + res.status);
    this.res = res;
  }
}

export async function api(method, url, options) {
  const opts = options || {};
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (opts.keepalive) init.keepalive = true;
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  if (method !== "GET") headers["X-CSRFToken"] = csrf;
  if (opts.version !== undefined && opts.version !== null) headers["If-Match"] = '"' + opts.version + '"';
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new Offline(String(err));
  }
  if (response.status >= 500) throw new Offline("HTTP " + response.status);
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  return { ok: response.ok, status: response.status, data: data || {} };
}

export function errorText(res) {
  if (res.status === 401) return t("signedOut");
  return (res.data && res.data.error) || t("error", { status: res.status });
}

export const urls = {
  segment: (id) => config.api + "/segments/" + id,
  unit: (id, what) => config.api + "/units/" + id + "/" + what,
  suggestion: (id, what) => config.api + "/suggestions/" + id + "/" + what,
  resolve: (id) => config.api + "/comments/" + id + "/resolve",
  next(after, direction, language) {
    const params = filtered({ after: String(after), direction: String(direction), language });
    return config.units + "/next?" + params;
  },
  units(offset, limit) {
    const params = filtered({ offset: String(offset), limit: String(limit) });
    if (S.columns.length) params.set("languages", S.columns.join(","));
    return config.units + "?" + params;
  },
};

/** Query parameters with the list's filters added (positions count filtered rows). */
function filtered(values) {
  const params = new URLSearchParams(values);
  for (const [name, value] of Object.entries(S.filters)) params.set(name, value);
  return params;
}
