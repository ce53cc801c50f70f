// The translator's editor: every chosen edition side by side, one row per unit.
//
// Plain ES2020 modules, no build step; this one starts the others, one per concern, all
// sharing core.js. The page (templates/editor/edit.html) is a shell; the rows come from
// the JSON API (docs/api.md) in chunks of CHUNK units, and only the chunks near the
// viewport are in the DOM: the others are placeholders of their measured (or estimated)
// height, so a 10 000-unit document scrolls like a short one.
//
// Safety rules kept throughout: server `html` (sanitized there) is the only thing ever
// given to innerHTML; everything else is textContent. Typing costs the textarea's own
// work, one localStorage write and a debounce timer: nothing else runs per keystroke.

import { S, api, config, errorText, gridBody, h, root, t } from "./core.js";
import { buildHead, makeObserver } from "./grid.js";
import { fillLanguageSelects, resetList } from "./list.js";
import { connectLive, sendPresence } from "./live.js";
import { checkDrafts, showSaveStatus } from "./saving.js";

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

if (root && window.fetch) start();
