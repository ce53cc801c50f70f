// The translator's editor: saves the server refused: a 409 shown side by side, texts whose row is gone.

import { on } from "./bus.js";
import { fillCell, segInfo, updateSegment } from "./cells.js";
import { ApiError, Offline, S, announce, api, orphansBanner, t, urls } from "./core.js";
import { abandonEditor, focusQuiet } from "./editing.js";
import {
  dropJob, goOffline, jobFor, readDraft, removeDraft, setJobState, showSaveStatus, writeDraft,
} from "./saving.js";

on("conflict", ({ job, body, data }) => openConflict(job, body, data));
on("orphaned", ({ job, body }) => orphaned(job, body));
on("orphan-found", ({ segId, text }) => showOrphan(segId, text));

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
  dropJob(job.segId);
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
  const suggested = data.yours !== undefined ? data.yours : body.text;
  const typed = abandonEditor(job.segId); // what is typed now, maybe newer than what was sent
  const yours = typed !== null ? typed : suggested;
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
    if (typed !== null) {
      focusQuiet(cell);
      cell.scrollIntoView({ block: "nearest" });
    }
  }
  announce(t("conflictAnnounce"));
  showSaveStatus();
}

function redrawConflict(c, focusSelector) {
  const cell = S.cells.get(c.segId);
  const info = segInfo(c.segId);
  if (!cell || !info) return;
  fillCell(cell, info);
  const target = focusSelector && cell.querySelector(focusSelector);
  if (target) target.focus();
}

export function resolveConflict(c, seg) {
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

export async function conflictAction(c, action) {
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
