// The translator's editor: moving between cells and the keyboard shortcuts.

import { conflictAction } from "./conflicts.js";
import {
  CHUNK, Offline, S, announce, api, errorText, flash, grid, isTyping, t, urls,
} from "./core.js";
import {
  closeEditor, confirmActive, copyColumn, focusQuiet, onType, openEditor, revertActive,
} from "./editing.js";
import { loadChunk, renderChunk } from "./grid.js";
import { leavePresenceSoon, setPresence } from "./live.js";
import { closeOverlays, openHelp } from "./overlays.js";
import { openPanel, setTarget, togglePanel } from "./panel.js";
import { goOffline } from "./saving.js";
import { openRowMenu, structureAction } from "./structure.js";

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
export async function findWork(pos, dir, lang) {
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
export async function goTo(pos, lang, quiet) {
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
