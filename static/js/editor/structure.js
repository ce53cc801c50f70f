// The translator's editor: the row menu and alignment fixes (merge, split, move, insert, undo).

import { pendingText } from "./cells.js";
import {
  $, S, api, config, editable, errorText, flash, langName, rowMenu, t, urls,
} from "./core.js";
import { forgetCaret, settle } from "./editing.js";
import { cancelReload, resetList } from "./list.js";
import { goOffline } from "./saving.js";
import { chooseSplit } from "./split.js";

// ===== row menu and structure changes =================================================
let menuUnit = null;
let menuButton = null;
let ignoreStructureUntil = 0;

export function openRowMenu(button, unitId) {
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

export function closeRowMenu(refocus) {
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

window.addEventListener("scroll", () => {
  if (!rowMenu.hidden) placeRowMenu();
}, { passive: true });

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

export async function structureAction(unitId, action, menuLang) {
  if (!config.restructure) return; // not offered: the shortcuts do nothing either
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
    const choice = await askSplit(unitId, caret);
    if (!choice) return;
    url = urls.unit(unitId, "split");
    body = { language: caret.lang, offset: caret.offset, others: "after", ...choice };
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
  forgetCaret();
  cancelReload();
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

/** The text of a cell as this page has it: the open editor's, else the unsaved, else the
 * loaded one. */
function currentText(seg) {
  if (S.active && S.active.segId === seg.id) return S.active.ta.value;
  const pending = pendingText(seg.id);
  return pending !== null ? pending : seg.text;
}

/** Where the other columns' text goes: asked in the split dialog when any has text. */
async function askSplit(unitId, caret) {
  const unit = S.units.get(unitId);
  const segs = (unit && unit.segments) || {};
  const others = S.columns
    .filter((code) => code !== caret.lang && segs[code])
    .map((code) => ({ lang: code, text: currentText(segs[code]) }))
    .filter((other) => other.text.trim());
  if (!others.length) return { placements: {} };
  const own = segs[caret.lang];
  return chooseSplit({
    lang: caret.lang,
    text: own ? currentText(own) : "",
    offset: caret.offset,
    others,
    unseen: [...S.langs.keys()].some((code) => code !== caret.lang && !S.columns.includes(code)),
  });
}

/** Our own "structure" event (live.js) needs no reload. */
export function ignoringStructure() {
  return Date.now() <= ignoreStructureUntil;
}

const undoButton = $("#undo-button"); // only for those who may change the rows
if (undoButton) undoButton.addEventListener("click", () => structureAction(null, "undo"));
