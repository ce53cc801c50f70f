// The translator's editor: every chosen edition side by side, one row per unit.
//
// Plain ES2020 modules, no build step; this one starts the others, one per concern. They
// are in layers, top to bottom below: a module imports only modules of lower layers, so
// there is no import cycle, and it tells the ones above through the bus (bus.js).
// tests/web/test_editor_script_layers.py reads this table and holds the imports to it.
//
//   main.js                       wiring and start; owns the document, me, languages, columns
//   keyboard.js  live.js          what the user types; what the server says happened
//   overlays.js                   the help and the column chooser
//   structure.js                  the row menu and the alignment fixes
//   panel.js  list.js             the side panel; the list and its filters
//   conflicts.js  navigation.js   409s and gone rows; moving through the list
//   editing.js                    the open editor
//   grid.js                       chunks of rows, rendered near the viewport
//   saving.js  presence.js        autosave and drafts; who else is here
//   cells.js  split.js            one cell; the split dialog
//   core.js  bus.js               config, strings, state, helpers, API; messages upward
//
// Each field of the shared state S (core.js) names its owner, the one module that writes it.
//
// The page (templates/editor/edit.html) is a shell; the rows come from
// the JSON API (docs/api.md) in chunks of CHUNK units, and only the chunks near the
// viewport are in the DOM: the others are placeholders of their measured (or estimated)
// height, so a 10 000-unit document scrolls like a short one.
//
// Safety rules kept throughout: server `html` (sanitized there) is the only thing ever
// given to innerHTML; everything else is textContent. Typing costs the textarea's own
// work, one localStorage write and a debounce timer: nothing else runs per keystroke.

import { on } from "./bus.js";
import { S, api, config, errorText, gridBody, h, root, t } from "./core.js";
import { buildHead, forgetHeights, makeObserver } from "./grid.js";
import "./keyboard.js";
import { anchor, fillLanguageSelects, resetList } from "./list.js";
import { connectLive } from "./live.js";
import { sendPresence } from "./presence.js";
import { checkDrafts, showSaveStatus } from "./saving.js";

on("columns-chosen", ({ columns }) => {
  S.columns = columns;
  buildHead();
  forgetHeights();
  resetList(anchor());
});

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
  // Opened on an assignment: at the first unit still to do in its range.
  const mine = config.assignment;
  if (mine && S.langs.has(mine.language)) {
    await resetList({ pos: mine.position, focus: { unitId: mine.unit, lang: mine.language } });
  } else {
    await resetList({ pos: 0 });
  }
  connectLive();
  checkDrafts();
  sendPresence();
}

if (root && window.fetch) start();
