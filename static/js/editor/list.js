// The translator's editor: the list: first load, filters, reloads. It owns the filters,
// the number of rows in the list and its generation.

import { on } from "./bus.js";
import {
  ApiError, CHUNK, S, errorText, filterError, filtersForm, flash, grid, gridBody, gridHead, h,
  root, t,
} from "./core.js";
import { closeEditor } from "./editing.js";
import { acceptUnits, buildChunks, fetchUnits, forgetHeights, renderChunk } from "./grid.js";
import { goTo } from "./navigation.js";
import { goOffline } from "./saving.js";

let retryList = null; // a failed list load to redo when back online
on("retry", () => {
  const again = retryList;
  retryList = null;
  if (again) again();
});
on("total-changed", () => scheduleReload());

// ===== the list: first load, filters, reloads =========================================
// The open editor survives a rebuild: its cell element (textarea, caret, undo stack) is
// put back into the new row, in the same task, so no keystroke can fall in between.
export async function resetList(options) {
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
  retryList = again;
  if (!S.chunks.length) gridBody.replaceChildren(h("p", "grid-empty", t("offlineLoading")));
  goOffline();
}

/** Where the reader is: the open editor's row, else the first row on screen. */
export function anchor() {
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
export function scheduleReload() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => resetList(anchor()), 300);
}

export function cancelReload() {
  clearTimeout(reloadTimer);
}

function readFilters() {
  const form = filtersForm.elements;
  const filters = {};
  if (form.status.value) filters.status = form.status.value;
  if (form.outdated.checked) filters.outdated = "1";
  if (form.unaligned.checked) filters.unaligned = "1";
  // The column that status, outdated and not aligned look at.
  if ((filters.status || filters.outdated || filters.unaligned) && form.status_language.value) {
    filters.status_language = form.status_language.value;
  }
  if (form.comments.checked) filters.comments = "1";
  if (form.low.checked) filters.low = "1";
  if (form.assignment && form.assignment.checked) filters.assignment = form.assignment.value;
  if (form.q.value) {
    filters.q = form.q.value;
    if (form.regex.checked) filters.regex = "1";
    if (form.case.checked) filters.case = "1";
    if (form.q_language.value) filters.q_language = form.q_language.value;
  }
  return filters;
}

// Opened with filters in its address (a release blocker's link:
// ?status=draft&status_language=fr, ?outdated=1&status_language=fr, ?unaligned=1...):
// they go into the filter form before the first load.
function fillFiltersFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const form = filtersForm.elements;
  for (const name of ["status", "status_language", "q", "q_language"]) {
    const value = params.get(name);
    if (!value || !form[name]) continue;
    const field = form[name];
    if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === value)) {
      field.add(new Option(value, value)); // a column the language list fills in later
    }
    field.value = value;
  }
  for (const name of ["outdated", "unaligned", "comments", "low", "regex", "case"]) {
    if (form[name] && ["1", "true", "on", "yes"].includes((params.get(name) || "").toLowerCase())) {
      form[name].checked = true;
    }
  }
}
fillFiltersFromUrl();

// Opened on an assignment (?assignment=<id>): the list starts filtered to its units.
S.filters = readFilters();

let filterTimer = null;
function applyFilters(delay) {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    const filters = readFilters();
    if (JSON.stringify(filters) === JSON.stringify(S.filters)) return;
    S.filters = filters;
    forgetHeights();
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

export function fillLanguageSelects() {
  for (const select of root.querySelectorAll("select[data-languages]")) {
    const keep = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const lang of S.langs.values()) select.add(new Option(lang.name, lang.code));
    select.value = keep;
  }
}
