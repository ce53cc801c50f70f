// The translator's editor: the keyboard shortcuts, and the grid's focus, input and
// click handlers that dispatch to the modules below.

import { on } from "./bus.js";
import { conflictAction } from "./conflicts.js";
import { S, announce, grid, isTyping, t } from "./core.js";
import {
  closeEditor, confirmActive, copyColumn, focusQuiet, keepCaret, onType, openEditor,
  revertActive,
} from "./editing.js";
import { findWork, goTo } from "./navigation.js";
import { closeOverlays, openHelp } from "./overlays.js";
import { openPanel, setTarget, togglePanel } from "./panel.js";
import { leavePresenceSoon, setPresence } from "./presence.js";
import { openRowMenu, structureAction } from "./structure.js";

// ===== navigation and keyboard ========================================================
// Ctrl+Enter confirmed a cell (editing.js): on to the next one in the column to do.
on("confirmed", async ({ pos, lang, cell }) => {
  const next = await findWork(pos, 1, lang);
  if (next !== null) {
    await goTo(next, lang);
  } else {
    if (cell.isConnected) focusQuiet(cell);
    announce(t("noMoreWork"));
  }
});

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
      keepCaret();
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
