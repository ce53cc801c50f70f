// The translator's editor: the textarea of the cell being edited: open, type, confirm,
// revert, copy a column. It owns the open editor, the last caret and the quiet focus.

import { emit } from "./bus.js";
import { fillCell, pendingText, segInfo } from "./cells.js";
import {
  MAX_SAVE_WAIT, S, SAVE_DELAY, announce, api, editable, fieldSizing, h, langName, renderOps, t,
  urls,
} from "./core.js";
import { setNotice, setPresence } from "./presence.js";
import {
  busy, dropJob, flush, flushAll, jobFor, removeDraft, setJobState, writeDraft,
} from "./saving.js";

// ===== cell editing ===================================================================
export function openEditor(cell) {
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
export function closeEditor() {
  const a = S.active;
  if (!a) return;
  S.active = null;
  S.caret = { unitId: a.unitId, lang: a.lang, offset: a.ta.selectionStart };
  setNotice(a.segId, null);
  const job = S.jobs.get(a.segId);
  if (job && job.timer) flush(job);
  else if (job && !busy(job) && !job.state) dropJob(a.segId); // only visited
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

export function onType() {
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

export function copyColumn(n) {
  const a = S.active;
  const lang = S.columns[n - 1];
  const unit = a && lang && S.units.get(a.unitId);
  const seg = unit && unit.segments[lang];
  if (!seg || lang === a.lang) return;
  const pending = pendingText(seg.id);
  replaceText(pending !== null ? pending : seg.text);
}

/** Esc: back to the text the cell had on entering; the server too if it got drafts. */
export function revertActive() {
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
export async function confirmActive() {
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
  emit("confirmed", { pos, lang, cell }); // keyboard.js moves on to the next cell to do
}

/** A conflict took the cell being edited: the editor goes without sending anything;
 * the text typed in it is returned. */
export function abandonEditor(segId) {
  const a = S.active;
  if (!a || a.segId !== segId) return null;
  S.active = null;
  setNotice(segId, null);
  a.cell.classList.remove("editing");
  a.cell.tabIndex = 0;
  return a.ta.value;
}

/** Someone saved the cell I edit before I typed anything: take their text and version. */
export function takeTheirs(seg) {
  const a = S.active;
  if (!a || a.segId !== seg.id) return;
  a.ta.value = seg.text;
  a.original = { text: seg.text, status: seg.status, version: seg.version };
  const job = S.jobs.get(seg.id);
  if (job) job.base = seg.version;
}

/** Remember where the caret of the open editor is (a split cuts there). */
export function keepCaret() {
  const a = S.active;
  if (a) S.caret = { unitId: a.unitId, lang: a.lang, offset: a.ta.selectionStart };
}

export function forgetCaret() {
  S.caret = null;
}

/** Wait until no save is pending (a structure change works on the server's text). */
export async function settle() {
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

export function focusQuiet(cell) {
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
