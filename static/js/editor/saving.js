// The translator's editor: autosave, the offline queue and drafts kept in localStorage.
// What the server answered that others must handle goes up the bus (bus.js): a conflict,
// a segment gone, a save done, the server back.

import { emit } from "./bus.js";
import { paintState, refreshCell, segInfo, updateSegment } from "./cells.js";
import {
  DRAFT_PREFIX, MAX_BACKOFF, S, announce, api, banner, errorText, flash, root, saveStatus, t, tn,
  urls,
} from "./core.js";

let backoff = 1000;
let retryTimer = null;

// ===== autosave / offline =============================================================
// One job per segment: `want` is what the server should get next, `sent` what is in
// flight, `base` the version the text was written against (sent as If-Match). A job is
// never sent twice at once; an answer that finds a newer `want` sends again.
export function jobFor(segId) {
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

export function busy(job) {
  return !!(job && (job.want || job.sent || job.timer));
}

export async function flush(job, options) {
  clearTimeout(job.timer);
  job.timer = null;
  if (job.sent || !job.want || S.conflicts.has(job.segId)) return;
  const body = job.want;
  // "Minor edits" (typo, spacing, spelling): the server flags no other edition.
  const minor = document.getElementById("minor-edit");
  if (minor && minor.checked) body.minor = true;
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
  // 409 "moved": the row was merged or realigned away; the server kept the text as a
  // suggestion on the row that holds it now, and it stays listed above the table too.
  if (res.status === 409 && res.data && res.data.moved) return emit("orphaned", { job, body });
  if (res.status === 409) return emit("conflict", { job, body, data: res.data });
  if (res.status === 404) return emit("orphaned", { job, body });
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
  emit("saved", { segId: job.segId });
}

/** Forget a segment's job (its editor closed with nothing to send, or its row is gone). */
export function dropJob(segId) {
  S.jobs.delete(segId);
}

export function setJobState(job, state, error) {
  if (job.state === state && job.error === (error || "")) return;
  job.state = state;
  job.error = error || "";
  const cell = S.cells.get(job.segId);
  const span = cell && cell.querySelector(":scope > .cell-meta > .cell-state");
  if (span) paintState(span, job);
  showSaveStatus();
}

export function showSaveStatus() {
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

export function goOffline() {
  if (!S.offline) {
    S.offline = true;
    announce(t("offlineAnnounce"));
    root.classList.add("is-offline");
  }
  showSaveStatus();
  if (!retryTimer) {
    retryTimer = setTimeout(retryAll, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF);
  }
}

export function backOnline() {
  backoff = 1000;
  if (!S.offline) return;
  S.offline = false;
  root.classList.remove("is-offline");
  clearTimeout(retryTimer);
  retryTimer = null;
  announce(t("onlineAnnounce"));
  showSaveStatus();
  retryAll();
}

/** Send every waiting job again, and load what could not be loaded. */
export function retryAll() {
  clearTimeout(retryTimer);
  retryTimer = null;
  for (const job of S.jobs.values()) {
    if (job.want && !job.sent && !job.timer) flush(job);
  }
  emit("retry");
}

window.addEventListener("online", () => {
  backoff = 1000;
  retryAll();
});

export function flushAll(options) {
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
export function writeDraft(segId, text, version, status) {
  try {
    localStorage.setItem(DRAFT_PREFIX + segId, JSON.stringify({ text, version, status, ts: Date.now() }));
  } catch (err) {
    // storage full or disabled: the autosave still runs
  }
}

export function readDraft(segId) {
  try {
    return JSON.parse(localStorage.getItem(DRAFT_PREFIX + segId));
  } catch (err) {
    return null;
  }
}

export function removeDraft(segId) {
  try {
    localStorage.removeItem(DRAFT_PREFIX + segId);
  } catch (err) {
    // nothing to clean
  }
}

/** On load: drafts an earlier session could not send, whose text the server lacks. */
export async function checkDrafts() {
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
    if (res.status === 404) return emit("orphan-found", { segId, text: draft.text }); // row gone
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
