// The translator's editor: loading chunks of rows and rendering only those near the viewport.

import { emit, on } from "./bus.js";
import { buildCell, refreshCell } from "./cells.js";
import {
  ApiError, CHUNK, Offline, S, actionButton, api, config, countBox, editable, flash, formatFraction,
  grid, gridBody, gridHead, h, locale, t, tn, urls,
} from "./core.js";
import { backOnline, goOffline } from "./saving.js";

// ===== render / windowing =============================================================
// Every chunk has a <div class="chunk"> in the body, in order; the IntersectionObserver
// renders the ones near the viewport, and `sweep` (after scrolling stops) swaps the far
// ones back to placeholders of their measured height.
export async function fetchUnits(offset) {
  const res = await api("GET", urls.units(offset, CHUNK));
  if (!res.ok) throw new ApiError(res);
  backOnline();
  return res.data;
}

let nearObserver = null;

export function makeObserver() {
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
}, { passive: true });

on("retry", () => {
  for (const c of S.chunks) if (c.near && !c.rendered) showChunk(c);
});

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

/** Forget the measured heights (other columns or filters: other rows). */
export function forgetHeights() {
  S.heights = [];
}

/** Placeholders for the whole list (`S.total` units); nothing rendered yet. */
export function buildChunks() {
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

export function acceptUnits(c, data) {
  c.units = data.units;
  c.units.forEach((unit, k) => {
    S.units.set(unit.id, unit);
    S.pos.set(unit.id, c.i * CHUNK + k);
    for (const [lang, seg] of Object.entries(unit.segments)) S.segs.set(seg.id, { unit: unit.id, lang });
  });
}

/** The chunk's units, fetched once (a retry comes with the next `showChunk`). */
export function loadChunk(i) {
  const c = S.chunks[i];
  if (!c) return Promise.resolve(null);
  if (c.units) return Promise.resolve(c.units);
  if (!c.loading) {
    const gen = S.gen;
    c.loading = fetchUnits(i * CHUNK)
      .then((data) => {
        if (gen !== S.gen) return null;
        c.loading = null;
        if (data.total !== S.total) emit("total-changed"); // rows came or went meanwhile
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

export async function showChunk(c) {
  if (c.rendered) return;
  const units = await loadChunk(c.i);
  if (!units || S.chunks[c.i] !== c || c.rendered || !c.near) return;
  renderChunk(c);
}

export function renderChunk(c) {
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

export function buildHead() {
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
    const conf = h("span", "conf", formatFraction(unit.confidence));
    conf.title = t("confidence");
    head.appendChild(conf);
  }
  const comments = actionButton("", "comments", "comments-badge");
  head.appendChild(comments);
  paintComments(comments, unit.comments);
  if (config.restructure) { // the row menu changes rows: only for those who may
    const menu = actionButton("⋯", "menu", "row-menu-button");
    menu.setAttribute("aria-haspopup", "menu");
    menu.setAttribute("aria-expanded", "false");
    menu.setAttribute("aria-label", t("rowMenu", { n: unit.index + 1 }));
    menu.title = t("rowMenu", { n: unit.index + 1 });
    head.appendChild(menu);
  }
  row.appendChild(head);

  for (const lang of S.columns) row.appendChild(liveCell(unit, lang) || newCell(unit, lang));
  markBreaks(row);
  return row;
}

function newCell(unit, lang) {
  const cell = buildCell(unit, lang);
  if (cell.dataset.seg) S.cells.set(+cell.dataset.seg, cell);
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

function paintComments(badge, count) {
  badge.hidden = !count;
  badge.textContent = count ? String(count) : "";
  const label = tn("openComments", count || 0);
  badge.setAttribute("aria-label", label);
  badge.title = label;
}

export function setComments(unitId, count) {
  const unit = S.units.get(unitId);
  if (unit) unit.comments = count;
  const row = S.rows.get(S.pos.get(unitId));
  const badge = row && row.dataset.unit === String(unitId) && row.querySelector(".comments-badge");
  if (badge) paintComments(badge, count);
}
