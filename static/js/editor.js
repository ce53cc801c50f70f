// The translator's editor: every chosen edition side by side, one row per unit.
//
// Plain ES2020, no build step. The page (templates/editor/edit.html) is a shell; the rows
// come from the JSON API (docs/api.md) in chunks of CHUNK units, and only the chunks near
// the viewport are in the DOM: the others are placeholders of their measured (or
// estimated) height, so a 10 000-unit document scrolls like a short one.
//
// Safety rules kept throughout: server `html` (sanitized there) is the only thing ever
// given to innerHTML; everything else is textContent. Typing costs the textarea's own
// work, one localStorage write and a debounce timer: nothing else runs per keystroke.
(function () {
  "use strict";

  // ===== boot: configuration and strings from the page ==================================
  const root = document.getElementById("editor");
  if (!root || !window.fetch) return;
  const config = readJson("editor-config");
  const strings = readJson("editor-strings");
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = (csrfMeta && csrfMeta.content) || root.dataset.csrf || "";
  const locale = document.documentElement.lang || "en";
  const plural = new Intl.PluralRules(locale);

  function readJson(id) {
    const el = document.getElementById(id);
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch (err) {
      return {};
    }
  }

  /** A UI string from the page's catalogue, with {name} placeholders filled in. */
  function t(key, vars) {
    let text = strings[key] !== undefined ? String(strings[key]) : key;
    if (vars) {
      for (const name of Object.keys(vars)) text = text.split("{" + name + "}").join(String(vars[name]));
    }
    return text;
  }

  /** A counted string: the catalogue holds `key.one` and `key.other`. */
  function tn(key, n, vars) {
    const form = plural.select(n) === "one" ? ".one" : ".other";
    return t(key + form, Object.assign({ n: n.toLocaleString(locale) }, vars));
  }

  // ===== state ==========================================================================
  const CHUNK = 100; // units per request and per rendered block
  const SAVE_DELAY = 800; // autosave debounce (ms)
  const MAX_SAVE_WAIT = 5000; // ... but never longer than this while typing
  const PRESENCE_RENEW = 10000; // at most; a third of the presence's life (30 s by default)
  const MAX_BACKOFF = 15000;
  const DRAFT_PREFIX = "translator:draft:" + config.slug + ":";

  const S = {
    doc: null, // GET documents/<slug>
    me: null,
    langs: new Map(), // code → {code, name, editable, reviewer}
    columns: [], // chosen languages, in order
    filters: {},
    total: 0, // units in the (filtered) list
    gen: 0, // bumped whenever the list is rebuilt: late answers are dropped
    chunks: [], // {i, el, rows, units, loading, rendered, near}
    heights: [], // measured height of chunk i: {rows, h}
    rowHeight: 46, // running estimate for unmeasured chunks
    units: new Map(), // unit id → unit (as the API gives it) for loaded chunks
    pos: new Map(), // unit id → position in the list
    segs: new Map(), // segment id → {unit: id, lang}
    rows: new Map(), // position → rendered row element
    cells: new Map(), // segment id → rendered cell element
    active: null, // the open editor: {segId, unitId, lang, cell, ta, original, touched, saved}
    target: null, // last focused cell, for the side panel and the row menu: {segId, unitId, lang}
    caret: null, // last caret in a textarea: {unitId, lang, offset}
    quiet: false, // focusing a cell without opening its editor
    jobs: new Map(), // segment id → autosave job
    conflicts: new Map(), // segment id → open conflict
    presence: new Map(), // segment id → names of the others in it
    notices: new Map(), // segment id → "changed by X" while I edit it
    offline: false,
    backoff: 1000,
    retryTimer: null,
    retryList: null, // a failed list load to redo when back online
  };

  const $ = (selector) => root.querySelector(selector);
  const grid = $(".grid");
  const gridHead = $(".grid-head");
  const gridBody = $(".grid-body");
  const liveRegion = $("#editor-live");
  const saveStatus = $("#save-status");
  const countBox = $("#unit-count");
  const messageBox = $("#editor-message");
  const filtersForm = $("#editor-filters");
  const filterError = $("#filter-error");
  const banner = $("#drafts-banner");
  const orphansBanner = $("#orphans-banner");
  const panel = $("#editor-panel");
  const panelButton = $("#panel-button");
  const help = $("#editor-help");
  const rowMenu = $("#row-menu");
  const columnsButton = $("#columns-button");
  const columnsPop = $("#columns-pop");
  const fieldSizing = !!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"));

  // ===== small helpers ==================================================================
  function h(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  function actionButton(label, action, className) {
    const b = h("button", className || "small", label);
    b.type = "button";
    if (action) b.dataset.action = action;
    return b;
  }

  function langName(code) {
    const lang = S.langs.get(code);
    return lang ? lang.name : code;
  }

  function editable(code) {
    const lang = S.langs.get(code);
    return !!(lang && lang.editable);
  }

  function statusName(status) {
    return t("status." + status);
  }

  function formatTime(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  }

  /** A word diff (`[["=", "Le "], ["-", "chat"], ["+", "chien"]]`) as spans, text only. */
  function renderOps(ops) {
    const box = h("div", "diff");
    for (const [op, part] of ops || []) {
      const tag = op === "-" ? "del" : op === "+" ? "ins" : "span";
      box.appendChild(h(tag, op === "-" ? "del" : op === "+" ? "ins" : "", part));
    }
    return box;
  }

  function isTyping(el) {
    return !!el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
      (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(el.type)));
  }

  let announceTimer = null;
  /** Say it to screen readers (one polite live region for the whole page). */
  function announce(text) {
    clearTimeout(announceTimer);
    liveRegion.textContent = "";
    announceTimer = setTimeout(() => (liveRegion.textContent = text), 50);
  }

  let messageTimer = null;
  /** A short visible message under the toolbar (also announced). */
  function flash(text, kind) {
    clearTimeout(messageTimer);
    messageBox.textContent = text;
    messageBox.dataset.kind = kind || "info";
    messageBox.hidden = false;
    announce(text);
    messageTimer = setTimeout(() => (messageBox.hidden = true), 7000);
  }

  // ===== api ============================================================================
  /** The server could not be reached (or answered 5xx): worth retrying. */
  class Offline extends Error {}

  /** An answer that is not 2xx, for the callers that throw it. */
  class ApiError extends Error {
    constructor(res) {
      super((res.data && res.data.error) || "HTTP " + res.status);
      this.res = res;
    }
  }

  async function api(method, url, options) {
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

  function errorText(res) {
    if (res.status === 401) return t("signedOut");
    return (res.data && res.data.error) || t("error", { status: res.status });
  }

  const urls = {
    segment: (id) => config.api + "/segments/" + id,
    unit: (id, what) => config.api + "/units/" + id + "/" + what,
    suggestion: (id, what) => config.api + "/suggestions/" + id + "/" + what,
    resolve: (id) => config.api + "/comments/" + id + "/resolve",
    next(after, direction, language) {
      const params = new URLSearchParams({ after: String(after), direction: String(direction), language });
      for (const [name, value] of Object.entries(S.filters)) params.set(name, value);
      return config.units + "/next?" + params;
    },
    units(offset, limit) {
      const params = new URLSearchParams({ offset: String(offset), limit: String(limit) });
      if (S.columns.length) params.set("languages", S.columns.join(","));
      for (const [name, value] of Object.entries(S.filters)) params.set(name, value);
      return config.units + "?" + params;
    },
  };

  async function fetchUnits(offset) {
    const res = await api("GET", urls.units(offset, CHUNK));
    if (!res.ok) throw new ApiError(res);
    backOnline();
    return res.data;
  }

  // ===== render / windowing =============================================================
  // Every chunk has a <div class="chunk"> in the body, in order; the IntersectionObserver
  // renders the ones near the viewport, and `sweep` (after scrolling stops) swaps the far
  // ones back to placeholders of their measured height.
  let nearObserver = null;

  function makeObserver() {
    const margin = Math.round(window.innerHeight * 1.5);
    nearObserver = new IntersectionObserver(onNear, { rootMargin: margin + "px 0px " + margin + "px 0px" });
  }

  function onNear(entries) {
    for (const entry of entries) {
      const c = S.chunks[+entry.target.dataset.chunk];
      if (!c || c.el !== entry.target) continue;
      c.near = entry.isIntersecting;
      if (c.near) showChunk(c);
    }
  }

  let sweepTimer = null;
  window.addEventListener("scroll", () => {
    clearTimeout(sweepTimer);
    sweepTimer = setTimeout(sweep, 400);
    if (!rowMenu.hidden) placeRowMenu();
  }, { passive: true });

  function sweep() {
    const limit = window.innerHeight * 4;
    for (const c of S.chunks) {
      if (!c.rendered) continue;
      const rect = c.el.getBoundingClientRect();
      if ((rect.bottom < -limit || rect.top > window.innerHeight + limit) && !pinned(c)) hideChunk(c);
    }
  }

  /** A chunk that holds the focus, the open editor or a merge in progress stays. */
  function pinned(c) {
    if (c.el.contains(document.activeElement)) return true;
    if (S.active && c.el.contains(S.active.cell)) return true;
    for (const conflict of S.conflicts.values()) {
      const cell = S.cells.get(conflict.segId);
      if (conflict.merging && cell && c.el.contains(cell)) return true;
    }
    return false;
  }

  function estimate(i, rows) {
    const known = S.heights[i];
    return known && known.rows === rows ? known.h : Math.round(rows * S.rowHeight);
  }

  function measure(c) {
    const height = c.el.offsetHeight;
    if (!height || !c.rows) return;
    S.heights[c.i] = { rows: c.rows, h: height };
    let sum = 0;
    let rows = 0;
    for (const known of S.heights) {
      if (known) {
        sum += known.h;
        rows += known.rows;
      }
    }
    if (rows) S.rowHeight = sum / rows;
  }

  /** Placeholders for the whole list (`S.total` units); nothing rendered yet. */
  function buildChunks() {
    if (nearObserver) nearObserver.disconnect();
    S.units.clear();
    S.pos.clear();
    S.segs.clear();
    S.rows.clear();
    S.cells.clear();
    S.chunks = [];
    const frag = document.createDocumentFragment();
    for (let i = 0; i * CHUNK < S.total; i++) {
      const rows = Math.min(CHUNK, S.total - i * CHUNK);
      const el = h("div", "chunk placeholder");
      el.setAttribute("role", "none");
      el.dataset.chunk = String(i);
      el.style.height = estimate(i, rows) + "px";
      S.chunks.push({ i, el, rows, units: null, loading: null, rendered: false, near: false });
      frag.appendChild(el);
    }
    gridBody.replaceChildren(frag);
    for (const c of S.chunks) nearObserver.observe(c.el);
    grid.setAttribute("aria-rowcount", String(S.total + 1));
    showCount();
  }

  function showCount() {
    const filtered = Object.keys(S.filters).length > 0;
    countBox.textContent = filtered
      ? tn("countFiltered", S.total, { all: S.doc ? S.doc.total.toLocaleString(locale) : "?" })
      : tn("count", S.total);
  }

  function acceptUnits(c, data) {
    c.units = data.units;
    c.units.forEach((unit, k) => {
      S.units.set(unit.id, unit);
      S.pos.set(unit.id, c.i * CHUNK + k);
      for (const [lang, seg] of Object.entries(unit.segments)) S.segs.set(seg.id, { unit: unit.id, lang });
    });
  }

  /** The chunk's units, fetched once (a retry comes with the next `showChunk`). */
  function loadChunk(i) {
    const c = S.chunks[i];
    if (!c) return Promise.resolve(null);
    if (c.units) return Promise.resolve(c.units);
    if (!c.loading) {
      const gen = S.gen;
      c.loading = fetchUnits(i * CHUNK)
        .then((data) => {
          if (gen !== S.gen) return null;
          c.loading = null;
          if (data.total !== S.total) scheduleReload(); // rows came or went meanwhile
          acceptUnits(c, data);
          return c.units;
        })
        .catch((err) => {
          c.loading = null;
          if (gen !== S.gen) return null;
          c.el.dataset.state = "offline";
          if (err instanceof Offline) goOffline();
          else flash(err.message, "error");
          return null;
        });
    }
    return c.loading;
  }

  async function showChunk(c) {
    if (c.rendered) return;
    const units = await loadChunk(c.i);
    if (!units || S.chunks[c.i] !== c || c.rendered || !c.near) return;
    renderChunk(c);
  }

  function renderChunk(c) {
    if (c.rendered || !c.units) return;
    const frag = document.createDocumentFragment();
    c.units.forEach((unit, k) => frag.appendChild(buildRow(unit, c.i * CHUNK + k)));
    c.el.replaceChildren(frag);
    c.el.style.height = "";
    c.el.classList.remove("placeholder");
    delete c.el.dataset.state;
    c.rendered = true;
    requestAnimationFrame(() => c.rendered && measure(c));
    // The next chunk's first row may now know its paragraph break.
    const next = S.chunks[c.i + 1];
    if (next && next.rendered) markBreaks(S.rows.get(next.i * CHUNK));
  }

  function hideChunk(c) {
    measure(c);
    (c.units || []).forEach((unit, k) => {
      S.rows.delete(c.i * CHUNK + k);
      for (const seg of Object.values(unit.segments)) S.cells.delete(seg.id);
    });
    c.el.replaceChildren();
    c.el.style.height = estimate(c.i, c.rows) + "px";
    c.el.classList.add("placeholder");
    c.rendered = false;
  }

  function unitAt(pos) {
    const c = S.chunks[Math.floor(pos / CHUNK)];
    return c && c.units ? c.units[pos - c.i * CHUNK] || null : null;
  }

  /** A gap where a paragraph ends, a mark where a filter skipped units. */
  function markBreaks(row) {
    if (!row) return;
    const pos = +row.dataset.pos;
    const unit = unitAt(pos);
    const prev = unitAt(pos - 1);
    row.classList.toggle("new-paragraph", !!(unit && prev && prev.paragraph !== unit.paragraph));
    row.classList.toggle("skipped-before", !!(unit && prev && prev.index !== unit.index - 1));
  }

  function buildHead() {
    const row = h("div", "row head-row");
    row.setAttribute("role", "row");
    row.setAttribute("aria-rowindex", "1");
    const corner = h("div", "row-head", "#");
    corner.setAttribute("role", "columnheader");
    row.appendChild(corner);
    S.columns.forEach((code, n) => {
      const lang = S.langs.get(code);
      const cell = h("div", "col-head");
      cell.setAttribute("role", "columnheader");
      cell.lang = code;
      cell.appendChild(h("span", "col-name", lang ? lang.name : code));
      if (n < 9) {
        const key = h("kbd", "col-key", "Alt+" + (n + 1));
        key.title = t("copyColumn", { language: lang ? lang.name : code });
        cell.appendChild(key);
      }
      if (!editable(code)) cell.appendChild(h("span", "col-readonly", t("readOnly")));
      row.appendChild(cell);
    });
    gridHead.replaceChildren(row);
    grid.style.setProperty("--cols", "4.5rem repeat(" + S.columns.length + ", minmax(0, 1fr))");
    grid.setAttribute("aria-colcount", String(S.columns.length + 1));
  }

  function buildRow(unit, pos) {
    const row = h("div", "row unit role-" + unit.role);
    if (unit.level) row.classList.add("level-" + unit.level);
    row.setAttribute("role", "row");
    row.setAttribute("aria-rowindex", String(pos + 2));
    row.dataset.unit = String(unit.id);
    row.dataset.pos = String(pos);
    if (unit.confidence !== null && unit.confidence !== undefined && S.doc &&
        unit.confidence < S.doc.low_confidence) row.classList.add("conf-low");
    S.rows.set(pos, row);

    const head = h("div", "row-head");
    head.setAttribute("role", "rowheader");
    head.appendChild(h("span", "unit-no", String(unit.index + 1)));
    if (unit.confidence !== null && unit.confidence !== undefined) {
      const conf = h("span", "conf", unit.confidence.toFixed(2));
      conf.title = t("confidence");
      head.appendChild(conf);
    }
    const comments = actionButton("", "comments", "comments-badge");
    head.appendChild(comments);
    paintComments(comments, unit.comments);
    const menu = actionButton("⋯", "menu", "row-menu-button");
    menu.setAttribute("aria-haspopup", "menu");
    menu.setAttribute("aria-expanded", "false");
    menu.setAttribute("aria-label", t("rowMenu", { n: unit.index + 1 }));
    menu.title = t("rowMenu", { n: unit.index + 1 });
    head.appendChild(menu);
    row.appendChild(head);

    for (const lang of S.columns) row.appendChild(liveCell(unit, lang) || buildCell(unit, lang));
    markBreaks(row);
    return row;
  }

  function paintComments(badge, count) {
    badge.hidden = !count;
    badge.textContent = count ? String(count) : "";
    const label = tn("openComments", count || 0);
    badge.setAttribute("aria-label", label);
    badge.title = label;
  }

  function setComments(unitId, count) {
    const unit = S.units.get(unitId);
    if (unit) unit.comments = count;
    const row = S.rows.get(S.pos.get(unitId));
    const badge = row && row.dataset.unit === String(unitId) && row.querySelector(".comments-badge");
    if (badge) paintComments(badge, count);
  }

  // ===== cells ==========================================================================
  function segInfo(segId) {
    const ref = S.segs.get(segId);
    if (!ref) return null;
    const unit = S.units.get(ref.unit);
    if (!unit || !unit.segments[ref.lang]) return null;
    return { unit, lang: ref.lang, seg: unit.segments[ref.lang], pos: S.pos.get(unit.id) };
  }

  function buildCell(unit, lang) {
    const seg = unit.segments[lang];
    const cell = h("div", "cell");
    cell.setAttribute("role", "gridcell");
    cell.lang = lang;
    cell.dataset.lang = lang;
    cell.dataset.unit = String(unit.id);
    cell.setAttribute("aria-label", langName(lang));
    if (!seg) {
      cell.classList.add("missing");
      cell.tabIndex = -1;
      return cell;
    }
    cell.tabIndex = 0;
    cell.dataset.seg = String(seg.id);
    if (!editable(lang)) cell.setAttribute("aria-readonly", "true");
    S.cells.set(seg.id, cell);
    fillCell(cell, { unit, lang, seg });
    return cell;
  }

  /** A rebuilt row takes back the cell being edited, textarea and all. */
  function liveCell(unit, lang) {
    const a = S.active;
    const seg = unit.segments[lang];
    if (!a || !seg || seg.id !== a.segId) return null;
    S.cells.set(seg.id, a.cell);
    refreshCell(seg.id);
    return a.cell;
  }

  function cellClasses(cell, info) {
    const { seg, lang } = info;
    const names = ["cell", "status-" + seg.status];
    if (seg.outdated) names.push("outdated");
    if (!editable(lang)) names.push("readonly");
    if (S.active && S.active.segId === seg.id) names.push("editing");
    if ((S.presence.get(seg.id) || []).length) names.push("others-here");
    if (S.conflicts.has(seg.id)) names.push("has-conflict");
    cell.className = names.join(" ");
    cell.title = statusName(seg.status) + (seg.outdated ? " · " + t("outdated") : "");
  }

  function pendingText(segId) {
    const job = S.jobs.get(segId);
    if (!job) return null;
    if (job.want) return job.want.text;
    if (job.sent) return job.sent.text;
    return null;
  }

  /** The whole cell from the cached data (not for the cell being edited). */
  function fillCell(cell, info) {
    const { unit, seg } = info;
    cellClasses(cell, info);
    const parts = [];
    if (unit.role === "footnote" && unit.label) parts.push(h("span", "fn-label", unit.label));
    const conflict = S.conflicts.get(seg.id);
    if (conflict) {
      parts.push(buildConflict(conflict));
    } else {
      const box = h("div", "cell-text");
      const pending = pendingText(seg.id);
      if (pending !== null && pending !== seg.text) {
        box.textContent = pending;
        box.classList.add("pending");
      } else {
        box.innerHTML = seg.html; // sanitized by the server: the one innerHTML of this file
      }
      parts.push(box);
    }
    parts.push(buildMeta(info));
    cell.replaceChildren(...parts);
  }

  function buildMeta(info) {
    const { seg } = info;
    const meta = h("div", "cell-meta");
    const state = h("span", "cell-state");
    paintState(state, S.jobs.get(seg.id));
    meta.appendChild(state);
    if (seg.outdated) meta.appendChild(h("span", "badge outdated-badge", t("outdated")));
    if (seg.suggestions) {
      meta.appendChild(h("span", "badge suggestions-badge", tn("suggestions", seg.suggestions)));
    }
    const people = S.presence.get(seg.id) || [];
    if (people.length) {
      const badge = h("span", "badge presence-badge", people.join(", "));
      badge.title = t("othersHere", { names: people.join(", ") });
      meta.appendChild(badge);
    }
    const notice = S.notices.get(seg.id);
    if (notice) meta.appendChild(h("span", "notice", notice));
    return meta;
  }

  /** Redraw a cell after its data changed; the open editor keeps its textarea. */
  function refreshCell(segId) {
    const cell = S.cells.get(segId);
    if (!cell || !cell.isConnected) return;
    const info = segInfo(segId);
    if (!info) return;
    const conflict = S.conflicts.get(segId);
    if ((S.active && S.active.segId === segId) || (conflict && conflict.merging)) {
      // Someone's presence or save must not rebuild a textarea being typed in.
      cellClasses(cell, info);
      const meta = cell.querySelector(":scope > .cell-meta");
      if (meta) meta.replaceWith(buildMeta(info));
    } else {
      fillCell(cell, info);
    }
  }

  function paintState(span, job) {
    const state = job ? job.state : "";
    span.dataset.state = state;
    span.textContent = state === "error" ? job.error : state ? t("state." + state) : "";
  }

  /** Merge fresh segment data into the cache and redraw its cell. */
  function updateSegment(seg, siblings) {
    const ref = S.segs.get(seg.id);
    if (ref) {
      const unit = S.units.get(ref.unit);
      if (unit) unit.segments[ref.lang] = Object.assign({}, unit.segments[ref.lang], seg);
      refreshCell(seg.id);
    }
    for (const sibling of siblings || []) {
      const info = segInfo(sibling.id);
      if (info && info.seg.outdated !== sibling.outdated) {
        info.seg.outdated = sibling.outdated;
        refreshCell(sibling.id);
      }
    }
  }

  // ===== cell editing ===================================================================
  function openEditor(cell) {
    const segId = +cell.dataset.seg;
    if (!segId || (S.active && S.active.segId === segId)) return;
    closeEditor();
    const info = segInfo(segId);
    if (!info || !editable(info.lang) || S.conflicts.has(segId)) return;
    const { seg, unit, lang } = info;
    const job = jobFor(segId);
    if (!busy(job)) job.base = seg.version; // an idle job edits what the server has now
    const pending = pendingText(segId);
    const text = pending !== null ? pending : seg.text;

    const ta = h("textarea", "cell-input");
    ta.value = text;
    ta.lang = lang;
    ta.spellcheck = true;
    ta.rows = 1;
    ta.setAttribute("aria-label", t("editCell", { language: langName(lang), n: unit.index + 1 }));
    const box = cell.querySelector(":scope > .cell-text");
    if (box) {
      box.hidden = true;
      box.after(ta);
    } else {
      cell.prepend(ta);
    }
    cell.classList.add("editing");
    cell.tabIndex = -1; // Shift+Tab from the textarea must leave the cell
    S.active = {
      segId, unitId: unit.id, lang, cell, ta, touched: false, saved: false,
      original: { text, status: seg.status, version: job.base },
    };
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(text.length, text.length);
    grow(ta);
    if (seg.outdated) showChanges(segId);
    setPresence(segId);
  }

  function grow(ta) {
    if (fieldSizing) return; // CSS sizes the textarea to its content
    ta.style.height = "auto";
    ta.style.height = ta.scrollHeight + 2 + "px";
  }

  /** Close the open editor; what was typed and not yet sent goes now. */
  function closeEditor() {
    const a = S.active;
    if (!a) return;
    S.active = null;
    S.caret = { unitId: a.unitId, lang: a.lang, offset: a.ta.selectionStart };
    S.notices.delete(a.segId);
    const job = S.jobs.get(a.segId);
    if (job && job.timer) flush(job);
    else if (job && !busy(job) && !job.state) S.jobs.delete(a.segId); // only visited
    a.cell.classList.remove("editing");
    a.cell.tabIndex = 0;
    if (a.cell.contains(document.activeElement)) {
      S.quiet = true;
      a.cell.focus({ preventScroll: true }); // keep the keyboard where it was
      S.quiet = false;
    }
    const info = segInfo(a.segId);
    if (info && a.cell.isConnected) fillCell(a.cell, info);
    else a.ta.remove();
  }

  function onType() {
    const a = S.active;
    const text = a.ta.value;
    a.touched = true;
    const job = jobFor(a.segId);
    job.want = { text, confirm: false };
    writeDraft(a.segId, text, job.base, a.original.status);
    setJobState(job, "unsaved");
    clearTimeout(job.timer);
    // Debounced, but someone typing without a pause still gets a save every few seconds.
    if (!job.since) job.since = Date.now();
    const wait = Date.now() - job.since > MAX_SAVE_WAIT ? 0 : SAVE_DELAY;
    job.timer = setTimeout(() => flush(job), wait);
    if (!fieldSizing) grow(a.ta);
  }

  /** Put a text into the open textarea as if typed (one undo step where supported). */
  function replaceText(text) {
    const ta = S.active.ta;
    ta.focus();
    ta.select();
    let done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (err) {
      done = false;
    }
    if (!done || ta.value !== text) {
      ta.value = text;
      onType();
    }
  }

  function copyColumn(n) {
    const a = S.active;
    const lang = S.columns[n - 1];
    const unit = a && lang && S.units.get(a.unitId);
    const seg = unit && unit.segments[lang];
    if (!seg || lang === a.lang) return;
    const pending = pendingText(seg.id);
    replaceText(pending !== null ? pending : seg.text);
  }

  /** Esc: back to the text the cell had on entering; the server too if it got drafts. */
  function revertActive() {
    const a = S.active;
    const job = jobFor(a.segId);
    const original = a.original;
    if (!a.saved && !job.sent) {
      clearTimeout(job.timer);
      job.timer = null;
      job.want = null;
      removeDraft(a.segId);
      setJobState(job, "");
    } else {
      const body = { text: original.text, confirm: false };
      if (original.status !== "empty") body.status = original.status;
      job.want = body;
      writeDraft(a.segId, original.text, job.base, original.status);
      flush(job);
    }
    a.ta.value = original.text;
    a.touched = false;
    grow(a.ta);
    announce(t("reverted"));
  }

  /** Ctrl+Enter: confirm the cell, go to the next one in the column that needs work. */
  async function confirmActive() {
    const a = S.active;
    const job = jobFor(a.segId);
    job.want = { text: a.ta.value, confirm: true };
    const pos = S.pos.get(a.unitId);
    const lang = a.lang;
    const cell = a.cell;
    clearTimeout(job.timer);
    job.timer = null;
    closeEditor();
    flush(job);
    const next = await findWork(pos, 1, lang);
    if (next !== null) {
      await goTo(next, lang);
    } else {
      if (cell.isConnected) focusQuiet(cell);
      announce(t("noMoreWork"));
    }
  }

  function focusQuiet(cell) {
    S.quiet = true;
    cell.focus({ preventScroll: true });
    S.quiet = false;
  }

  /** Show, above the textarea, what changed in the sibling(s) of an outdated cell. */
  async function showChanges(segId) {
    let res;
    try {
      res = await api("GET", urls.segment(segId));
    } catch (err) {
      return;
    }
    const a = S.active;
    if (!res.ok || !a || a.segId !== segId || !(res.data.changes || []).length) return;
    const box = h("div", "changes");
    box.appendChild(h("p", "changes-title", t("changesTitle")));
    for (const change of res.data.changes) {
      const line = h("div", "change");
      line.appendChild(h("span", "change-lang", langName(change.language)));
      line.appendChild(renderOps(change.ops));
      box.appendChild(line);
    }
    a.ta.before(box);
  }

  // ===== autosave / offline =============================================================
  // One job per segment: `want` is what the server should get next, `sent` what is in
  // flight, `base` the version the text was written against (sent as If-Match). A job is
  // never sent twice at once; an answer that finds a newer `want` sends again.
  function jobFor(segId) {
    let job = S.jobs.get(segId);
    if (!job) {
      const info = segInfo(segId);
      job = {
        segId, base: info ? info.seg.version : null, want: null, sent: null, timer: null,
        since: 0, state: "", error: "",
      };
      S.jobs.set(segId, job);
    }
    return job;
  }

  function busy(job) {
    return !!(job && (job.want || job.sent || job.timer));
  }

  async function flush(job, options) {
    clearTimeout(job.timer);
    job.timer = null;
    if (job.sent || !job.want || S.conflicts.has(job.segId)) return;
    const body = job.want;
    job.want = null;
    job.sent = body;
    job.since = 0;
    setJobState(job, "saving");
    let res;
    try {
      res = await api("PUT", urls.segment(job.segId), {
        body, version: job.base, keepalive: !!(options && options.keepalive),
      });
    } catch (err) {
      job.sent = null;
      if (!job.want) job.want = body;
      setJobState(job, "offline");
      goOffline();
      return;
    }
    job.sent = null;
    if (res.ok) return saved(job, body, res.data);
    if (res.status === 409) return openConflict(job, body, res.data);
    if (res.status === 404) return orphaned(job, body);
    // 400/401/403/428: retrying will not help; the text stays in localStorage.
    setJobState(job, "error", errorText(res));
    flash(errorText(res), "error");
  }

  function saved(job, body, data) {
    backOnline();
    const seg = data.segment;
    job.base = seg.version;
    updateSegment(seg, data.siblings);
    const a = S.active;
    if (a && a.segId === job.segId) a.saved = true;
    const draft = readDraft(job.segId);
    if (draft && draft.text === body.text) removeDraft(job.segId);
    else if (draft) writeDraft(job.segId, draft.text, job.base, draft.status);
    if (job.want) {
      if (!job.timer) flush(job);
      else setJobState(job, "unsaved");
      return;
    }
    setJobState(job, "saved");
    setTimeout(() => {
      const editing = S.active && S.active.segId === job.segId;
      const idle = !busy(job) && job.state === "saved" && !editing;
      if (idle && S.jobs.get(job.segId) === job) S.jobs.delete(job.segId);
    }, 5000);
    if (S.target && S.target.segId === job.segId) schedulePanel();
  }

  function setJobState(job, state, error) {
    if (job.state === state && job.error === (error || "")) return;
    job.state = state;
    job.error = error || "";
    const cell = S.cells.get(job.segId);
    const span = cell && cell.querySelector(":scope > .cell-meta > .cell-state");
    if (span) paintState(span, job);
    showSaveStatus();
  }

  function showSaveStatus() {
    let waiting = 0;
    let failed = 0;
    for (const job of S.jobs.values()) {
      if (busy(job)) waiting++;
      if (job.state === "error") failed++;
    }
    const conflicts = S.conflicts.size;
    let text;
    let state;
    if (S.offline && waiting) {
      text = tn("statusOffline", waiting);
      state = "offline";
    } else if (waiting) {
      text = t("statusSaving");
      state = "saving";
    } else if (conflicts) {
      text = tn("statusConflicts", conflicts);
      state = "conflict";
    } else if (failed) {
      text = tn("statusFailed", failed);
      state = "error";
    } else {
      text = t("statusSaved");
      state = "saved";
    }
    if (saveStatus.textContent !== text) saveStatus.textContent = text;
    saveStatus.dataset.state = state;
  }

  function goOffline() {
    if (!S.offline) {
      S.offline = true;
      announce(t("offlineAnnounce"));
      root.classList.add("is-offline");
    }
    showSaveStatus();
    if (!S.retryTimer) {
      S.retryTimer = setTimeout(retryAll, S.backoff);
      S.backoff = Math.min(S.backoff * 2, MAX_BACKOFF);
    }
  }

  function backOnline() {
    S.backoff = 1000;
    if (!S.offline) return;
    S.offline = false;
    root.classList.remove("is-offline");
    clearTimeout(S.retryTimer);
    S.retryTimer = null;
    announce(t("onlineAnnounce"));
    showSaveStatus();
    retryAll();
  }

  /** Send every waiting job again, and load what could not be loaded. */
  function retryAll() {
    clearTimeout(S.retryTimer);
    S.retryTimer = null;
    for (const job of S.jobs.values()) {
      if (job.want && !job.sent && !job.timer) flush(job);
    }
    if (S.retryList) {
      const again = S.retryList;
      S.retryList = null;
      again();
    }
    for (const c of S.chunks) if (c.near && !c.rendered) showChunk(c);
  }

  window.addEventListener("online", () => {
    S.backoff = 1000;
    retryAll();
  });

  function flushAll(options) {
    if (S.active) {
      const job = S.jobs.get(S.active.segId);
      if (job && job.timer) flush(job, options);
    }
    for (const job of S.jobs.values()) if (job.want && !job.sent) flush(job, options);
  }

  window.addEventListener("beforeunload", (event) => {
    let unsent = false;
    for (const job of S.jobs.values()) if (busy(job)) unsent = true;
    if (!unsent) return;
    flushAll({ keepalive: true }); // may still land; localStorage keeps it otherwise
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushAll({ keepalive: true });
  });

  // localStorage: every keystroke writes the cell's draft, removed when the server has it.
  function writeDraft(segId, text, version, status) {
    try {
      localStorage.setItem(DRAFT_PREFIX + segId, JSON.stringify({ text, version, status, ts: Date.now() }));
    } catch (err) {
      // storage full or disabled: the autosave still runs
    }
  }

  function readDraft(segId) {
    try {
      return JSON.parse(localStorage.getItem(DRAFT_PREFIX + segId));
    } catch (err) {
      return null;
    }
  }

  function removeDraft(segId) {
    try {
      localStorage.removeItem(DRAFT_PREFIX + segId);
    } catch (err) {
      // nothing to clean
    }
  }

  /** On load: drafts an earlier session could not send, whose text the server lacks. */
  async function checkDrafts() {
    const found = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && key.startsWith(DRAFT_PREFIX)) found.push(+key.slice(DRAFT_PREFIX.length));
      }
    } catch (err) {
      return;
    }
    const drafts = [];
    await Promise.all(found.map(async (segId) => {
      const draft = readDraft(segId);
      if (!segId || !draft || typeof draft.text !== "string") return removeDraft(segId);
      let res;
      try {
        res = await api("GET", urls.segment(segId));
      } catch (err) {
        drafts.push({ segId, draft });
        return;
      }
      if (res.status === 404) return showOrphan(segId, draft.text); // its row is gone
      if (!res.ok) return;
      if (res.data.text === draft.text) return removeDraft(segId);
      drafts.push({ segId, draft, server: res.data });
    }));
    if (!drafts.length) return;
    banner.querySelector(".banner-text").textContent = tn("unsentDrafts", drafts.length);
    banner.hidden = false;
    banner.onclick = (event) => {
      const choice = event.target.closest("[data-drafts]");
      if (!choice) return;
      banner.hidden = true;
      if (choice.dataset.drafts === "restore") restoreDrafts(drafts);
      else drafts.forEach((d) => removeDraft(d.segId));
      announce(choice.dataset.drafts === "restore" ? t("draftsRestored") : t("draftsDiscarded"));
    };
  }

  function restoreDrafts(drafts) {
    for (const { segId, draft } of drafts) {
      const job = jobFor(segId);
      if (busy(job)) continue;
      job.base = draft.version;
      job.want = { text: draft.text, confirm: false };
      refreshCell(segId);
      flush(job);
    }
  }

  // ===== texts whose row is gone =======================================================
  // A text typed for a segment the server no longer has (someone merged, split or
  // realigned its row meanwhile) is never dropped: it stays in localStorage and is listed
  // above the grid until the translator copies it where it belongs and discards it.
  function orphaned(job, body) {
    const draft = readDraft(job.segId);
    const text = draft && typeof draft.text === "string" ? draft.text : body.text;
    clearTimeout(job.timer);
    job.timer = null;
    job.want = null;
    S.jobs.delete(job.segId);
    showSaveStatus();
    if (text) writeDraft(job.segId, text, null, null);
    showOrphan(job.segId, text);
    announce(t("orphanAnnounce"));
  }

  function showOrphan(segId, text) {
    if (!text) return removeDraft(segId);
    const list = orphansBanner.querySelector(".orphans-list");
    let item = list.querySelector('[data-seg="' + segId + '"]');
    if (!item) {
      item = document.createElement("li");
      item.dataset.seg = String(segId);
      const quote = document.createElement("blockquote");
      const copy = document.createElement("button");
      copy.type = "button";
      copy.className = "small";
      copy.textContent = t("copy");
      copy.addEventListener("click", () => copyText(quote));
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "small";
      drop.textContent = t("discard");
      drop.addEventListener("click", () => {
        removeDraft(segId);
        item.remove();
        orphansBanner.hidden = !list.children.length;
      });
      item.append(quote, copy, drop);
      list.append(item);
    }
    item.querySelector("blockquote").textContent = text;
    orphansBanner.hidden = false;
  }

  async function copyText(quote) {
    try {
      await navigator.clipboard.writeText(quote.textContent);
      announce(t("copied"));
    } catch (err) {
      const range = document.createRange(); // no clipboard access: select it for Ctrl+C
      range.selectNodeContents(quote);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }

  // ===== conflicts ======================================================================
  // A 409: the server kept my text as an open suggestion. The cell shows both texts until
  // I pick one or merge them; that cell is not autosaved meanwhile.
  function openConflict(job, body, data) {
    clearTimeout(job.timer);
    job.timer = null;
    job.want = null;
    const a = S.active;
    const suggested = data.yours !== undefined ? data.yours : body.text;
    let yours = suggested;
    if (a && a.segId === job.segId) {
      yours = a.ta.value; // what is typed now, maybe newer than what was sent
      S.active = null;
      S.notices.delete(job.segId);
      a.cell.classList.remove("editing");
      a.cell.tabIndex = 0;
    }
    const conflict = {
      segId: job.segId,
      theirs: data.segment,
      by: data.by || (data.segment && data.segment.author) || null,
      yours,
      suggestion: data.suggestion || null,
      edited: yours !== suggested, // typed on after the save that clashed
      merging: false,
      mergeText: null,
      error: "",
    };
    S.conflicts.set(job.segId, conflict);
    const draft = readDraft(job.segId);
    if (draft && !conflict.edited && draft.text === body.text) removeDraft(job.segId);
    setJobState(job, "conflict");
    if (data.segment) updateSegment(data.segment);
    const cell = S.cells.get(job.segId);
    if (cell) {
      const info = segInfo(job.segId);
      if (info) fillCell(cell, info);
      if (a && a.segId === job.segId) {
        focusQuiet(cell);
        cell.scrollIntoView({ block: "nearest" });
      }
    }
    announce(t("conflictAnnounce"));
    showSaveStatus();
  }

  function buildConflict(c) {
    const box = h("div", "conflict");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t("conflictTitle"));
    box.appendChild(h("p", "conflict-title", t("conflictTitle")));
    const sides = h("div", "conflict-sides");
    const theirs = h("div", "side theirs");
    theirs.appendChild(h("p", "side-title", c.by ? t("theirsBy", { name: c.by.name }) : t("theirs")));
    const theirText = h("div", "side-text");
    theirText.innerHTML = c.theirs ? c.theirs.html : ""; // sanitized by the server
    theirs.appendChild(theirText);
    const yours = h("div", "side yours");
    yours.appendChild(h("p", "side-title", t("yours")));
    yours.appendChild(h("div", "side-text", c.yours));
    sides.append(theirs, yours);
    box.appendChild(sides);
    if (c.merging) {
      const ta = h("textarea", "merge-input");
      ta.value = c.mergeText !== null ? c.mergeText : c.yours;
      ta.setAttribute("aria-label", t("mergeLabel"));
      ta.addEventListener("input", () => (c.mergeText = ta.value));
      box.appendChild(ta);
      const actions = h("div", "conflict-actions");
      actions.append(
        actionButton(t("saveMerged"), "merge-save", "small primary"),
        actionButton(t("cancel"), "merge-cancel"),
      );
      box.appendChild(actions);
    } else {
      const actions = h("div", "conflict-actions");
      actions.append(
        actionButton(t("keepTheirs"), "keep-theirs"),
        actionButton(t("useMine"), "use-mine"),
        actionButton(t("merge"), "merge"),
      );
      box.appendChild(actions);
    }
    if (c.error) box.appendChild(h("p", "conflict-error", c.error));
    return box;
  }

  function redrawConflict(c, focusSelector) {
    const cell = S.cells.get(c.segId);
    const info = segInfo(c.segId);
    if (!cell || !info) return;
    fillCell(cell, info);
    const target = focusSelector && cell.querySelector(focusSelector);
    if (target) target.focus();
  }

  function resolveConflict(c, seg) {
    S.conflicts.delete(c.segId);
    const job = jobFor(c.segId);
    job.base = seg ? seg.version : job.base;
    setJobState(job, "saved");
    if (seg) updateSegment(seg);
    if (readDraft(c.segId)) removeDraft(c.segId);
    const cell = S.cells.get(c.segId);
    const info = segInfo(c.segId);
    if (cell && info) {
      fillCell(cell, info);
      focusQuiet(cell);
    }
    showSaveStatus();
    announce(t("conflictResolved"));
  }

  async function conflictAction(c, action) {
    c.error = "";
    try {
      if (action === "merge") {
        c.merging = true;
        redrawConflict(c, ".merge-input");
      } else if (action === "merge-cancel") {
        c.merging = false;
        redrawConflict(c, "[data-action=merge]");
      } else if (action === "keep-theirs") {
        const res = c.suggestion
          ? await api("POST", urls.suggestion(c.suggestion.id, "reject"))
          : { ok: true };
        if (!res.ok && res.status !== 404) throw new ApiError(res);
        resolveConflict(c, c.theirs);
      } else if (action === "use-mine" && c.suggestion && !c.edited) {
        const url = urls.suggestion(c.suggestion.id, "accept");
        const res = await api("POST", url, { version: c.theirs.version });
        if (res.status === 409) return conflictMovedOn(c, res.data);
        if (!res.ok) throw new ApiError(res);
        resolveConflict(c, res.data.segment);
      } else if (action === "use-mine" || action === "merge-save") {
        const text = action === "merge-save" ? (c.mergeText !== null ? c.mergeText : c.yours) : c.yours;
        const res = await api("PUT", urls.segment(c.segId), {
          body: { text, confirm: false }, version: c.theirs.version,
        });
        if (res.status === 409) {
          // Moved on again: the server made a new suggestion of this text; the old one goes.
          if (c.suggestion) await api("POST", urls.suggestion(c.suggestion.id, "reject"));
          c.suggestion = res.data.suggestion || null;
          c.yours = text;
          c.edited = false;
          return conflictMovedOn(c, res.data);
        }
        if (!res.ok) throw new ApiError(res);
        if (c.suggestion) await api("POST", urls.suggestion(c.suggestion.id, "reject"));
        resolveConflict(c, res.data.segment);
      }
    } catch (err) {
      c.error = err instanceof Offline ? t("offlineAction") : err.message;
      redrawConflict(c);
      if (err instanceof Offline) goOffline();
    }
  }

  function conflictMovedOn(c, data) {
    if (data.segment) c.theirs = data.segment;
    if (data.by) c.by = data.by;
    c.merging = false;
    c.error = t("conflictAgain");
    if (data.segment) updateSegment(data.segment);
    redrawConflict(c);
  }

  // ===== navigation and keyboard ========================================================
  function needsWork(seg) {
    if (!seg) return false;
    const job = S.jobs.get(seg.id);
    if (job && ((job.want && job.want.confirm) || (job.sent && job.sent.confirm))) return false;
    return seg.status === "empty" || seg.status === "draft" || seg.outdated;
  }

  /** The next position from `pos` (exclusive) in direction `dir` whose cell in `lang`
   * needs work (`needsWork`); null if none. Loaded chunks are read here (they know this
   * page's unsent confirmations); a stretch of chunks not loaded yet is one request to
   * the server (units/next), however long it is. */
  async function findWork(pos, dir, lang) {
    const gen = S.gen;
    let p = pos + dir;
    while (p >= 0 && p < S.total) {
      const i = Math.floor(p / CHUNK);
      const units = S.chunks[i] && S.chunks[i].units;
      if (units) {
        const unit = units[p - i * CHUNK];
        if (unit && needsWork(unit.segments[lang])) return p;
        p += dir;
        continue;
      }
      let j = i; // the stretch of unloaded chunks starting at chunk i
      while (S.chunks[j + dir] && !S.chunks[j + dir].units) j += dir;
      const beyond = dir > 0 ? Math.min(S.total, (j + 1) * CHUNK) : j * CHUNK - 1;
      let res;
      try {
        res = await api("GET", urls.next(p - dir, dir, lang));
      } catch (err) {
        if (err instanceof Offline) goOffline();
        return null;
      }
      if (gen !== S.gen) return null;
      if (!res.ok) {
        flash(errorText(res), "error");
        return null;
      }
      const q = res.data.position;
      if (typeof q === "number" && (dir > 0 ? q < beyond : q > beyond)) {
        const k = Math.floor(q / CHUNK);
        const loaded = await loadChunk(k);
        if (gen !== S.gen || !loaded) return null;
        const unit = loaded[q - k * CHUNK];
        if (unit && needsWork(unit.segments[lang])) return q;
        p = q + dir; // done meanwhile: go on from there
        continue;
      }
      p = beyond;
    }
    return null;
  }

  /** Render the row at `pos` if needed, scroll it into view, focus its `lang` cell. */
  async function goTo(pos, lang, quiet) {
    const c = S.chunks[Math.floor(pos / CHUNK)];
    if (!c) return null;
    await loadChunk(c.i);
    if (S.chunks[c.i] !== c) return null;
    renderChunk(c);
    const row = S.rows.get(pos);
    const cell = row && row.querySelector('.cell[data-lang="' + CSS.escape(lang) + '"]');
    if (!cell) return null;
    cell.scrollIntoView({ block: "nearest" });
    if (quiet) focusQuiet(cell);
    else cell.focus({ preventScroll: true });
    return cell;
  }

  function cellPlace(cell) {
    const row = cell.closest(".row.unit");
    return { pos: +row.dataset.pos, lang: cell.dataset.lang, unitId: +row.dataset.unit };
  }

  async function jumpToWork(cell, dir) {
    const place = cellPlace(cell);
    const found = await findWork(place.pos, dir, place.lang);
    if (found === null) announce(t("noMoreWork"));
    else goTo(found, place.lang);
  }

  function moveSideways(cell, dir) {
    const cells = [...cell.closest(".row").querySelectorAll(".cell")];
    const next = cells[cells.indexOf(cell) + dir];
    if (next) next.focus();
  }

  function onKeydown(event) {
    const target = event.target;
    const a = S.active;
    const inEditor = !!a && target === a.ta;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (key === "Escape") {
      if (closeOverlays()) event.preventDefault();
      else if (inEditor) {
        event.preventDefault();
        revertActive();
      }
      return;
    }
    if (key === "?" && !mod && !event.altKey && !isTyping(target)) {
      event.preventDefault();
      openHelp();
      return;
    }
    if (mod && event.shiftKey && event.code === "KeyH") {
      event.preventDefault();
      togglePanel();
      return;
    }
    const cell = target.closest ? target.closest(".grid .cell") : null;
    if (!cell) return;
    const vertical = key === "ArrowUp" || key === "ArrowDown";
    const dir = key === "ArrowUp" ? -1 : 1;
    if (mod && !event.shiftKey && !event.altKey && key === "Enter") {
      if (inEditor) {
        event.preventDefault();
        confirmActive();
      }
    } else if (event.altKey && !mod && !event.shiftKey && vertical) {
      event.preventDefault();
      goTo(cellPlace(cell).pos + dir, cell.dataset.lang);
    } else if (mod && event.shiftKey && vertical) {
      event.preventDefault();
      jumpToWork(cell, dir);
    } else if (event.altKey && !mod && /^Digit[1-9]$/.test(event.code)) {
      if (inEditor) {
        event.preventDefault();
        copyColumn(+event.code.slice(5));
      }
    } else if (mod && event.shiftKey && event.code === "KeyM") {
      event.preventDefault();
      structureAction(cellPlace(cell).unitId, "merge");
    } else if (mod && event.shiftKey && event.code === "KeyS") {
      if (inEditor) {
        event.preventDefault();
        S.caret = { unitId: a.unitId, lang: a.lang, offset: a.ta.selectionStart };
        structureAction(a.unitId, "split");
      }
    } else if (target === cell && !mod && !event.altKey) {
      // A cell without an open editor (read-only, or left with Esc): the grid's arrows.
      if (key === "Enter" || key === "F2") {
        event.preventDefault();
        openEditor(cell);
      } else if (vertical) {
        event.preventDefault();
        goTo(cellPlace(cell).pos + dir, cell.dataset.lang);
      } else if (key === "ArrowLeft" || key === "ArrowRight") {
        event.preventDefault();
        moveSideways(cell, key === "ArrowLeft" ? -1 : 1);
      }
    }
  }

  document.addEventListener("keydown", onKeydown);

  grid.addEventListener("focusin", (event) => {
    const cell = event.target.closest(".cell");
    if (!cell || !cell.dataset.seg) return;
    const place = cellPlace(cell);
    setTarget({ segId: +cell.dataset.seg, unitId: place.unitId, lang: place.lang });
    setPresence(+cell.dataset.seg);
    if (event.target !== cell || S.quiet) return;
    // A click on the padding of the cell being edited gives the focus back to its textarea.
    if (S.active && S.active.cell === cell) S.active.ta.focus({ preventScroll: true });
    else openEditor(cell);
  });

  grid.addEventListener("focusout", () => {
    setTimeout(() => {
      const now = document.activeElement;
      if (S.active && now !== S.active.ta && document.hasFocus()) closeEditor();
      if (!grid.contains(document.activeElement) && document.hasFocus()) leavePresenceSoon();
    }, 0);
  });

  grid.addEventListener("input", (event) => {
    if (S.active && event.target === S.active.ta) onType();
  });

  grid.addEventListener("click", (event) => {
    const link = event.target.closest(".cell a[href]");
    if (link && !event.ctrlKey && !event.metaKey) event.preventDefault(); // a click edits
    const button = event.target.closest("button[data-action]");
    if (!button) {
      // A cell that already has the focus without an editor (after a conflict, or the
      // last Ctrl+Enter of a column) gets no focusin from a click: open it here.
      const cell = event.target.closest(".cell[data-seg]");
      if (cell && cell === document.activeElement && !(S.active && S.active.cell === cell)) {
        openEditor(cell);
      }
      return;
    }
    const action = button.dataset.action;
    const row = button.closest(".row.unit");
    if (action === "menu") return openRowMenu(button, +row.dataset.unit);
    if (action === "comments") {
      openPanel();
      const cell = row.querySelector(".cell[data-seg]");
      if (cell) setTarget(Object.assign({ segId: +cell.dataset.seg }, cellPlace(cell)), true);
      return;
    }
    const cell = button.closest(".cell");
    const conflict = cell && S.conflicts.get(+cell.dataset.seg);
    if (conflict) conflictAction(conflict, action);
  });

  // ===== the list: first load, filters, reloads =========================================
  // The open editor survives a rebuild: its cell element (textarea, caret, undo stack) is
  // put back into the new row, in the same task, so no keystroke can fall in between.
  async function resetList(options) {
    const o = options || {};
    const gen = ++S.gen;
    const want = Math.max(0, o.pos || 0);
    let data;
    try {
      data = await fetchUnits(Math.floor(want / CHUNK) * CHUNK);
    } catch (err) {
      if (gen === S.gen) listFailed(err, () => resetList(o));
      return;
    }
    if (gen !== S.gen) return;
    filterError.textContent = "";
    const pos = Math.min(want, Math.max(0, data.total - 1));
    if (data.units.length && Math.floor(pos / CHUNK) * CHUNK !== data.offset) {
      // The list shrank under the wanted place: ask again where it now ends.
      return resetList(Object.assign({}, o, { pos }));
    }
    const a = S.active;
    const focused = !!a && document.activeElement === a.ta;
    const selection = a ? [a.ta.selectionStart, a.ta.selectionEnd] : null;
    S.total = data.total;
    buildChunks();
    if (!S.total) {
      if (a) closeEditor();
      gridBody.replaceChildren(h("p", "grid-empty", t("noUnits")));
      return;
    }
    const c = S.chunks[Math.floor(pos / CHUNK)];
    acceptUnits(c, data);
    renderChunk(c);
    if (a && S.active === a) {
      if (!a.cell.isConnected) closeEditor(); // its unit is gone, or out of the filter
      else if (focused && document.activeElement !== a.ta) {
        a.ta.focus({ preventScroll: true });
        a.ta.setSelectionRange(selection[0], selection[1]);
      }
    }
    const row = S.rows.get(pos);
    if (row && o.top !== undefined) window.scrollBy(0, row.getBoundingClientRect().top - o.top);
    if (o.focus) {
      const known = o.focus.unitId !== undefined && S.pos.has(o.focus.unitId);
      const target = known ? S.pos.get(o.focus.unitId) : pos;
      await goTo(target, o.focus.lang, o.focus.quiet);
    }
  }

  function listFailed(err, again) {
    if (err instanceof ApiError) {
      const res = err.res;
      if (res.data && res.data.field === "q") {
        filterError.textContent = errorText(res);
        filtersForm.elements.q.setAttribute("aria-invalid", "true");
      } else {
        flash(errorText(res), "error");
      }
      return;
    }
    S.retryList = again;
    if (!S.chunks.length) gridBody.replaceChildren(h("p", "grid-empty", t("offlineLoading")));
    goOffline();
  }

  /** Where the reader is: the open editor's row, else the first row on screen. */
  function anchor() {
    const a = S.active;
    if (a && a.cell.isConnected) {
      const row = a.cell.closest(".row");
      return { pos: +row.dataset.pos, top: row.getBoundingClientRect().top };
    }
    const headBottom = gridHead.getBoundingClientRect().bottom;
    for (const c of S.chunks) {
      if (!c.rendered) continue;
      const rect = c.el.getBoundingClientRect();
      if (rect.bottom < headBottom) continue;
      for (const row of c.el.children) {
        const top = row.getBoundingClientRect();
        if (top.bottom > headBottom) return { pos: +row.dataset.pos, top: top.top };
      }
    }
    return { pos: 0 };
  }

  let reloadTimer = null;
  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => resetList(anchor()), 300);
  }

  function readFilters() {
    const form = filtersForm.elements;
    const filters = {};
    if (form.status.value) {
      filters.status = form.status.value;
      if (form.status_language.value) filters.status_language = form.status_language.value;
    }
    if (form.outdated.checked) filters.outdated = "1";
    if (form.comments.checked) filters.comments = "1";
    if (form.low.checked) filters.low = "1";
    if (form.q.value) {
      filters.q = form.q.value;
      if (form.regex.checked) filters.regex = "1";
      if (form.case.checked) filters.case = "1";
      if (form.q_language.value) filters.q_language = form.q_language.value;
    }
    return filters;
  }

  let filterTimer = null;
  function applyFilters(delay) {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      const filters = readFilters();
      if (JSON.stringify(filters) === JSON.stringify(S.filters)) return;
      S.filters = filters;
      S.heights = [];
      filterError.textContent = "";
      filtersForm.elements.q.removeAttribute("aria-invalid");
      if (grid.getBoundingClientRect().top < 0) grid.scrollIntoView();
      resetList({ pos: 0 });
    }, delay);
  }

  filtersForm.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters(0);
  });
  filtersForm.addEventListener("change", () => applyFilters(0));
  filtersForm.addEventListener("input", (event) => {
    if (event.target.name === "q") applyFilters(400);
  });
  filtersForm.addEventListener("reset", () => setTimeout(() => applyFilters(0), 0));

  function fillLanguageSelects() {
    for (const select of root.querySelectorAll("select[data-languages]")) {
      const keep = select.value;
      while (select.options.length > 1) select.remove(1);
      for (const lang of S.langs.values()) select.add(new Option(lang.name, lang.code));
      select.value = keep;
    }
  }

  // ===== row menu and structure changes =================================================
  let menuUnit = null;
  let menuButton = null;

  function openRowMenu(button, unitId) {
    closeRowMenu(false);
    menuUnit = unitId;
    menuButton = button;
    const select = rowMenu.querySelector("select");
    select.replaceChildren(...S.columns.map((code) => new Option(langName(code), code)));
    const row = button.closest(".row");
    select.value = S.target && S.target.unitId === unitId ? S.target.lang
      : (S.columns.find(editable) || S.columns[0]);
    const canSplit = !!(S.caret && S.caret.unitId === unitId && S.caret.offset > 0);
    rowMenu.querySelector('[data-menu="split"]').disabled = !canSplit;
    rowMenu.hidden = false;
    placeRowMenu();
    button.setAttribute("aria-expanded", "true");
    row.classList.add("menu-open");
    const first = rowMenu.querySelector("button:not([disabled])");
    if (first) first.focus();
  }

  /** The menu is `position: fixed` next to its button: follow the button on scroll. */
  function placeRowMenu() {
    if (!menuButton || !menuButton.isConnected) return closeRowMenu(false);
    const rect = menuButton.getBoundingClientRect();
    const menuHeight = rowMenu.offsetHeight;
    const below = rect.bottom + menuHeight < window.innerHeight;
    rowMenu.style.top = (below ? rect.bottom + 2 : Math.max(4, rect.top - menuHeight - 2)) + "px";
    rowMenu.style.left = rect.left + "px";
  }

  function closeRowMenu(refocus) {
    if (rowMenu.hidden) return false;
    rowMenu.hidden = true;
    if (menuButton) {
      menuButton.setAttribute("aria-expanded", "false");
      const row = menuButton.closest(".row");
      if (row) row.classList.remove("menu-open");
      if (refocus && menuButton.isConnected) menuButton.focus();
    }
    return true;
  }

  rowMenu.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = [...rowMenu.querySelectorAll("button:not([disabled])")];
    const at = items.indexOf(document.activeElement);
    const next = items[(at + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length];
    if (next) next.focus();
  });

  rowMenu.addEventListener("focusout", () => {
    setTimeout(() => {
      if (!rowMenu.contains(document.activeElement) && document.hasFocus()) closeRowMenu(false);
    }, 0);
  });

  rowMenu.addEventListener("click", (event) => {
    const item = event.target.closest("button[data-menu]");
    if (!item || item.disabled) return;
    const lang = rowMenu.querySelector("select").value;
    const unitId = menuUnit;
    closeRowMenu(true);
    structureAction(unitId, item.dataset.menu, lang);
  });

  /** Wait until no save is pending (a structure change works on the server's text). */
  async function settle() {
    closeEditor();
    flushAll();
    for (let i = 0; i < 100; i++) {
      let waiting = false;
      for (const job of S.jobs.values()) if (busy(job)) waiting = true;
      if (!waiting) return true;
      if (S.offline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  async function structureAction(unitId, action, menuLang) {
    const pos = S.pos.get(unitId);
    const row = S.rows.get(pos);
    const lang = menuLang || (S.target && S.target.lang) || S.columns[0];
    let url;
    let body;
    if (action === "undo") {
      url = config.undo;
    } else if (action === "split") {
      const caret = S.caret;
      if (!caret || caret.unitId !== unitId) return flash(t("splitHow"), "error");
      url = urls.unit(unitId, "split");
      body = { language: caret.lang, offset: caret.offset, others: "after" };
    } else if (action === "move-previous" || action === "move-next") {
      url = urls.unit(unitId, "move");
      body = { language: lang, to: action === "move-previous" ? "previous" : "next" };
    } else {
      url = urls.unit(unitId, action); // merge, insert
    }
    const focusLang = body && body.language ? body.language : lang;
    const top = row ? row.getBoundingClientRect().top : undefined;
    if (row) row.classList.add("busy");
    ignoreStructureUntil = Date.now() + 10000; // our own "structure" event needs no reload
    if (!(await settle())) {
      if (row) row.classList.remove("busy");
      return flash(t("offlineAction"), "error");
    }
    let res;
    try {
      res = await api("POST", url, { body: body || {} });
    } catch (err) {
      if (row) row.classList.remove("busy");
      goOffline();
      return flash(t("offlineAction"), "error");
    }
    if (!res.ok) {
      if (row) row.classList.remove("busy");
      return flash(errorText(res), "error");
    }
    S.caret = null;
    clearTimeout(reloadTimer);
    const data = res.data;
    const ids = data.units || (data.unit ? [data.unit] : []);
    let place = pos !== undefined ? pos : 0;
    if (!Object.keys(S.filters).length && typeof data.index === "number") place = data.index;
    // After a split or an insert the cursor belongs in the new (second) unit.
    const focusPos = action === "split" || action === "insert" ? place + 1 : place;
    const focusUnit = action === "split" || action === "insert" ? undefined : ids[0];
    await resetList({ pos: focusPos, top, focus: { unitId: focusUnit, lang: focusLang } });
    flash(t("done." + action), "info");
    ignoreStructureUntil = Date.now() + 1500;
  }

  let ignoreStructureUntil = 0;

  $("#undo-button").addEventListener("click", () => structureAction(null, "undo"));

  // ===== side panel: history, suggestions, comments =====================================
  let panelTimer = null;
  let panelGen = 0;

  function setTarget(target, now) {
    const same = S.target && S.target.segId === target.segId;
    S.target = target;
    if (!same || now) schedulePanel(now ? 0 : 250);
  }

  function schedulePanel(delay) {
    if (panel.hidden) return;
    clearTimeout(panelTimer);
    panelTimer = setTimeout(loadPanel, delay === undefined ? 250 : delay);
  }

  function openPanel() {
    if (!panel.hidden) return;
    panel.hidden = false;
    root.classList.add("with-panel");
    panelButton.setAttribute("aria-expanded", "true");
    schedulePanel(0);
  }

  function togglePanel() {
    if (panel.hidden) return openPanel();
    panel.hidden = true;
    root.classList.remove("with-panel");
    panelButton.setAttribute("aria-expanded", "false");
  }

  panelButton.addEventListener("click", togglePanel);
  panel.querySelector("[data-close]").addEventListener("click", togglePanel);

  async function loadPanel() {
    const target = S.target;
    const title = panel.querySelector(".panel-title");
    const sections = panel.querySelector(".panel-sections");
    if (!target) {
      title.textContent = t("panelEmpty");
      sections.hidden = true;
      return;
    }
    const gen = ++panelGen;
    const unit = S.units.get(target.unitId);
    title.textContent = t("panelTitle", { n: unit ? unit.index + 1 : "?", language: langName(target.lang) });
    sections.hidden = false;
    // Each list on its own: one that fails says so without hiding the others.
    const get = (url, key) => api("GET", url).then(
      (res) => (res.ok ? res.data[key] || [] : errorText(res)),
      () => t("offlineLoading"),
    );
    const [history, suggestions, comments] = await Promise.all([
      get(urls.segment(target.segId) + "/history", "revisions"),
      get(urls.segment(target.segId) + "/suggestions", "suggestions"),
      get(urls.unit(target.unitId, "comments"), "comments"),
    ]);
    if (gen !== panelGen) return;
    showList(".history-list", history, (items) => showHistory(target, items));
    showList(".suggestions-list", suggestions, (items) => showSuggestions(target, items));
    showList(".comments-list", comments, (items) => showComments(target, items));
  }

  function showList(selector, result, show) {
    if (typeof result !== "string") return show(result);
    panel.querySelector(selector).replaceChildren(h("li", "error", result));
  }

  function byline(author, when, extra) {
    const parts = [author ? author.name : t("nobody"), formatTime(when)].concat(extra || []);
    return h("p", "byline", parts.filter(Boolean).join(" · "));
  }

  function showHistory(target, revisions) {
    const list = panel.querySelector(".history-list");
    list.replaceChildren();
    if (!revisions.length) list.appendChild(h("li", "empty-state", t("noHistory")));
    revisions.forEach((rev, n) => {
      const item = h("li", "revision");
      const about = [t("reason." + rev.reason), statusName(rev.status)];
      item.appendChild(byline(rev.author, rev.created_at, about));
      item.appendChild(renderOps(rev.ops));
      if (n > 0 && editable(target.lang)) {
        const revert = actionButton(t("revert"), null);
        const url = urls.segment(target.segId) + "/revert";
        revert.addEventListener("click", () => panelWrite(target, url, { revision: rev.id }, true));
        item.appendChild(revert);
      }
      list.appendChild(item);
    });
  }

  function showSuggestions(target, suggestions) {
    const list = panel.querySelector(".suggestions-list");
    list.replaceChildren();
    if (!suggestions.length) list.appendChild(h("li", "empty-state", t("noSuggestions")));
    for (const s of suggestions) {
      const item = h("li", "suggestion state-" + s.state);
      const about = [t("kind." + s.kind), t("suggestionState." + s.state)];
      item.appendChild(byline(s.author, s.created_at, about));
      item.appendChild(renderOps(s.ops));
      if (s.state === "open" && editable(target.lang)) {
        const accept = actionButton(t("accept"), null, "small primary");
        const acceptUrl = urls.suggestion(s.id, "accept");
        accept.addEventListener("click", () => panelWrite(target, acceptUrl, undefined, true, s.id));
        const reject = actionButton(t("reject"), null);
        const rejectUrl = urls.suggestion(s.id, "reject");
        reject.addEventListener("click", () => panelWrite(target, rejectUrl, undefined, false, s.id));
        item.append(accept, reject);
      }
      list.appendChild(item);
    }
  }

  function showComments(target, comments) {
    const list = panel.querySelector(".comments-list");
    list.replaceChildren();
    if (!comments.length) list.appendChild(h("li", "empty-state", t("noComments")));
    for (const c of comments) {
      const item = h("li", "comment" + (c.resolved ? " resolved" : ""));
      item.appendChild(byline(c.author, c.created_at, [c.language ? langName(c.language) : null,
        c.resolved ? t("resolved") : null]));
      item.appendChild(h("p", "comment-body", c.body));
      const toggle = actionButton(c.resolved ? t("reopen") : t("resolve"), null);
      toggle.addEventListener("click", async () => {
        const res = await panelApi("POST", urls.resolve(c.id), { body: { resolved: !c.resolved } });
        if (res) schedulePanel(0);
      });
      item.appendChild(toggle);
      list.appendChild(item);
    }
    setComments(target.unitId, comments.filter((c) => !c.resolved).length);
  }

  async function panelApi(method, url, options) {
    try {
      const res = await api(method, url, options);
      if (res.ok) return res;
      flash(errorText(res), "error");
    } catch (err) {
      goOffline();
      flash(t("offlineAction"), "error");
    }
    return null;
  }

  /** Revert / accept / reject from the panel: the cell's text changes under the editor. */
  async function panelWrite(target, url, body, versioned, suggestionId) {
    if (S.active && S.active.segId === target.segId) closeEditor();
    if (!(await settle())) return flash(t("offlineAction"), "error");
    const info = segInfo(target.segId);
    const version = versioned ? (info ? info.seg.version : undefined) : undefined;
    const res = await panelApi("POST", url, { body: body || {}, version });
    if (!res) return schedulePanel(0);
    if (res.data.segment) updateSegment(res.data.segment, res.data.siblings);
    const conflict = S.conflicts.get(target.segId);
    if (conflict && conflict.suggestion && conflict.suggestion.id === suggestionId) {
      resolveConflict(conflict, res.data.segment || conflict.theirs);
    }
    schedulePanel(0);
  }

  panel.querySelector(".comment-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const text = form.elements.body.value.trim();
    const target = S.target;
    if (!text || !target) return;
    const res = await panelApi("POST", urls.unit(target.unitId, "comments"), {
      body: { body: text, language: target.lang },
    });
    if (!res) return;
    form.elements.body.value = "";
    schedulePanel(0);
  });

  // ===== help overlay and column chooser ================================================
  let helpReturn = null;

  function openHelp() {
    helpReturn = document.activeElement;
    help.hidden = false;
    help.querySelector("[data-close]").focus();
  }

  function closeOverlays() {
    if (!help.hidden) {
      help.hidden = true;
      if (helpReturn && helpReturn.isConnected) helpReturn.focus();
      return true;
    }
    if (closeRowMenu(true)) return true;
    if (!columnsPop.hidden) {
      closeColumns();
      columnsButton.focus();
      return true;
    }
    return false;
  }

  $("#help-button").addEventListener("click", openHelp);
  help.addEventListener("click", (event) => {
    if (event.target === help || event.target.closest("[data-close]")) closeOverlays();
  });

  function openColumns() {
    const list = columnsPop.querySelector(".columns-list");
    list.replaceChildren();
    const order = S.columns.concat([...S.langs.keys()].filter((code) => !S.columns.includes(code)));
    for (const code of order) {
      const item = h("li", "column-choice");
      item.dataset.code = code;
      const label = h("label");
      const box = h("input");
      box.type = "checkbox";
      box.checked = S.columns.includes(code);
      label.append(box, " " + langName(code));
      const up = actionButton("↑", "up", "small icon");
      up.setAttribute("aria-label", t("moveUp", { language: langName(code) }));
      const down = actionButton("↓", "down", "small icon");
      down.setAttribute("aria-label", t("moveDown", { language: langName(code) }));
      item.append(label, up, down);
      list.appendChild(item);
    }
    columnsPop.hidden = false;
    columnsButton.setAttribute("aria-expanded", "true");
    const first = list.querySelector("input");
    if (first) first.focus();
  }

  function closeColumns() {
    columnsPop.hidden = true;
    columnsButton.setAttribute("aria-expanded", "false");
  }

  columnsButton.addEventListener("click", () => (columnsPop.hidden ? openColumns() : closeColumns()));

  columnsPop.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const item = button.closest(".column-choice");
    if (button.dataset.action === "up" && item.previousElementSibling) {
      item.previousElementSibling.before(item);
      button.focus();
    } else if (button.dataset.action === "down" && item.nextElementSibling) {
      item.nextElementSibling.after(item);
      button.focus();
    } else if (button.dataset.columns === "cancel") {
      closeColumns();
      columnsButton.focus();
    } else if (button.dataset.columns === "apply") {
      const chosen = [...columnsPop.querySelectorAll(".column-choice")]
        .filter((li) => li.querySelector("input").checked)
        .map((li) => li.dataset.code);
      if (!chosen.length) return flash(t("oneColumn"), "error");
      const res = await panelApi("PUT", config.columns, { body: { columns: chosen } });
      if (!res) return;
      closeColumns();
      columnsButton.focus();
      S.columns = res.data.columns || chosen;
      buildHead();
      S.heights = [];
      resetList(anchor());
    }
  });

  // ===== presence and live events =======================================================
  let presenceSeg = null;
  let presenceTimer = null;
  let leaveTimer = null;
  let renewEvery = PRESENCE_RENEW;
  let presenceList = [];
  let expiryTimer = null;

  function setPresence(segId) {
    clearTimeout(leaveTimer);
    if (presenceSeg === segId) return;
    presenceSeg = segId;
    sendPresence();
    clearInterval(presenceTimer);
    presenceTimer = setInterval(sendPresence, renewEvery);
  }

  /** Renew at a third of the life the server gave my presence (a server with a short
   * TRANSLATOR_PRESENCE_TTL would otherwise drop me between two renewals). */
  function adjustRenewal(list) {
    const mine = (list || []).find((e) => e.user && S.me && e.user.id === S.me.id);
    if (!mine || !mine.expires) return;
    const life = mine.expires * 1000 - Date.now();
    const every = life > 0 ? Math.max(1000, Math.min(PRESENCE_RENEW, life / 3)) : PRESENCE_RENEW;
    if (Math.abs(every - renewEvery) < 250) return;
    renewEvery = every;
    if (presenceTimer) {
      clearInterval(presenceTimer);
      presenceTimer = setInterval(sendPresence, renewEvery);
    }
  }

  function leavePresenceSoon() {
    clearTimeout(leaveTimer);
    leaveTimer = setTimeout(() => {
      if (presenceSeg === null) return;
      presenceSeg = null;
      clearInterval(presenceTimer);
      presenceTimer = null;
      sendPresence();
    }, 500);
  }

  async function sendPresence() {
    try {
      const res = await api("PUT", config.presence, { body: { segment: presenceSeg } });
      if (res.ok) {
        showPresence(res.data.presence);
        adjustRenewal(res.data.presence);
      }
    } catch (err) {
      // presence is best effort
    }
  }

  window.addEventListener("pagehide", () => {
    if (presenceSeg === null) return;
    api("PUT", config.presence, { body: { segment: null }, keepalive: true }).catch(() => null);
  });

  function showPresence(list) {
    presenceList = list || [];
    const now = Date.now() / 1000;
    const next = new Map();
    let soonest = Infinity;
    for (const entry of presenceList) {
      if (!entry.segment || !entry.user || (S.me && entry.user.id === S.me.id)) continue;
      if (entry.expires && entry.expires < now) continue;
      if (entry.expires) soonest = Math.min(soonest, entry.expires);
      if (!next.has(entry.segment)) next.set(entry.segment, []);
      next.get(entry.segment).push(entry.user.name);
    }
    const changed = new Set([...S.presence.keys(), ...next.keys()]);
    S.presence = next;
    for (const segId of changed) refreshCell(segId);
    // A presence that is not renewed (a closed laptop says nothing) lapses without an
    // event: take its badge away when it expires.
    clearTimeout(expiryTimer);
    if (soonest < Infinity) {
      expiryTimer = setTimeout(() => showPresence(presenceList), (soonest - now) * 1000 + 100);
    }
  }

  let liveDelay = 1000;
  let liveLost = false;

  function connectLive() {
    if (!window.EventSource) return;
    const source = new EventSource(config.events);
    source.addEventListener("open", () => {
      liveDelay = 1000;
      if (liveLost) {
        liveLost = false;
        retryAll(); // the server is back: no need to wait for the next retry
        scheduleReload(); // and catch up with what happened while we were away
      }
    });
    source.addEventListener("error", () => {
      liveLost = true;
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connectLive, liveDelay);
        liveDelay = Math.min(liveDelay * 2, MAX_BACKOFF);
      }
    });
    const on = (name, handler) => source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (err) {
        return;
      }
      handler(data);
    });
    on("segment", onSegmentEvent);
    on("presence", (data) => showPresence(data.presence));
    on("comments", (data) => {
      setComments(data.unit, data.count);
      if (S.target && S.target.unitId === data.unit) schedulePanel();
    });
    on("structure", () => {
      if (Date.now() > ignoreStructureUntil) scheduleReload();
    });
  }

  function onSegmentEvent(data) {
    const seg = data.segment;
    if (!seg) return;
    const info = segInfo(seg.id);
    if (info && info.seg.version >= seg.version) {
      updateSegment({ id: seg.id }, data.siblings); // old news, but the siblings may change
      return;
    }
    const mine = !!(data.by && S.me && data.by.id === S.me.id);
    const a = S.active;
    if (a && a.segId === seg.id && !mine) {
      const job = S.jobs.get(seg.id);
      const name = data.by ? data.by.name : t("nobody");
      if (!a.touched && !busy(job)) {
        // Nothing typed yet: take their text and version, no conflict needed.
        a.ta.value = seg.text;
        a.original = { text: seg.text, status: seg.status, version: seg.version };
        if (job) job.base = seg.version;
        S.notices.set(seg.id, t("updatedBy", { name }));
      } else {
        S.notices.set(seg.id, t("changedBy", { name }));
      }
      announce(S.notices.get(seg.id));
    }
    updateSegment(seg, data.siblings);
    if (S.target && S.target.segId === seg.id) schedulePanel();
  }

  // ===== start ==========================================================================
  async function start() {
    makeObserver();
    let res;
    try {
      res = await api("GET", config.document);
    } catch (err) {
      gridBody.replaceChildren(h("p", "grid-empty", t("offlineLoading")));
      setTimeout(start, 3000);
      return;
    }
    if (!res.ok) {
      gridBody.replaceChildren(h("p", "grid-empty error", errorText(res)));
      return;
    }
    S.doc = res.data;
    S.me = res.data.me;
    for (const lang of res.data.languages) S.langs.set(lang.code, lang);
    S.columns = (res.data.columns || []).filter((code) => S.langs.has(code));
    if (!S.columns.length) S.columns = [...S.langs.keys()];
    fillLanguageSelects();
    buildHead();
    showSaveStatus();
    await resetList({ pos: 0 });
    connectLive();
    checkDrafts();
    sendPresence();
  }

  start();
})();
