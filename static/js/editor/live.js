// The translator's editor: presence and live events (server-sent events).

import { refreshCell, segInfo, updateSegment } from "./cells.js";
import { MAX_BACKOFF, PRESENCE_RENEW, S, announce, api, config, t } from "./core.js";
import { setComments } from "./grid.js";
import { scheduleReload } from "./list.js";
import { schedulePanel } from "./panel.js";
import { busy, retryAll } from "./saving.js";
import { ignoreStructureUntil } from "./structure.js";

// ===== presence and live events =======================================================
let presenceSeg = null;
let presenceTimer = null;
let leaveTimer = null;
let renewEvery = PRESENCE_RENEW;
let presenceList = [];
let expiryTimer = null;

export function setPresence(segId) {
  clearTimeout(leaveTimer);
  if (presenceSeg === segId) return;
  presenceSeg = segId;
  sendPresence();
  clearInterval(presenceTimer);
  presenceTimer = setInterval(sendPresence, renewEvery);
}

/** Renew at a third of the life the server gave my presence (a server with a short
 * TRANSLATOR_PRESENCE_TTL would otherwise drop me between two renewals). */
function adjustRenewal(list) {
  const mine = (list || []).find((e) => e.user && S.me && e.user.id === S.me.id);
  if (!mine || !mine.expires) return;
  const life = mine.expires * 1000 - Date.now();
  const every = life > 0 ? Math.max(1000, Math.min(PRESENCE_RENEW, life / 3)) : PRESENCE_RENEW;
  if (Math.abs(every - renewEvery) < 250) return;
  renewEvery = every;
  if (presenceTimer) {
    clearInterval(presenceTimer);
    presenceTimer = setInterval(sendPresence, renewEvery);
  }
}

export function leavePresenceSoon() {
  clearTimeout(leaveTimer);
  leaveTimer = setTimeout(() => {
    if (presenceSeg === null) return;
    presenceSeg = null;
    clearInterval(presenceTimer);
    presenceTimer = null;
    sendPresence();
  }, 500);
}

export async function sendPresence() {
  try {
    const res = await api("PUT", config.presence, { body: { segment: presenceSeg } });
    if (res.ok) {
      showPresence(res.data.presence);
      adjustRenewal(res.data.presence);
    }
  } catch (err) {
    // presence is best effort
  }
}

window.addEventListener("pagehide", () => {
  if (presenceSeg === null) return;
  api("PUT", config.presence, { body: { segment: null }, keepalive: true }).catch(() => null);
});

function showPresence(list) {
  presenceList = list || [];
  const now = Date.now() / 1000;
  const next = new Map();
  let soonest = Infinity;
  for (const entry of presenceList) {
    if (!entry.segment || !entry.user || (S.me && entry.user.id === S.me.id)) continue;
    if (entry.expires && entry.expires < now) continue;
    if (entry.expires) soonest = Math.min(soonest, entry.expires);
    if (!next.has(entry.segment)) next.set(entry.segment, []);
    next.get(entry.segment).push(entry.user.name);
  }
  const changed = new Set([...S.presence.keys(), ...next.keys()]);
  S.presence = next;
  for (const segId of changed) refreshCell(segId);
  // A presence that is not renewed (a closed laptop says nothing) lapses without an
  // event: take its badge away when it expires.
  clearTimeout(expiryTimer);
  if (soonest < Infinity) {
    expiryTimer = setTimeout(() => showPresence(presenceList), (soonest - now) * 1000 + 100);
  }
}

let liveDelay = 1000;
let liveLost = false;

export function connectLive() {
  if (!window.EventSource) return;
  const source = new EventSource(config.events);
  source.addEventListener("open", () => {
    liveDelay = 1000;
    if (liveLost) {
      liveLost = false;
      retryAll(); // the server is back: no need to wait for the next retry
      scheduleReload(); // and catch up with what happened while we were away
    }
  });
  source.addEventListener("error", () => {
    liveLost = true;
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(connectLive, liveDelay);
      liveDelay = Math.min(liveDelay * 2, MAX_BACKOFF);
    }
  });
  const on = (name, handler) => source.addEventListener(name, (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (err) {
      return;
    }
    handler(data);
  });
  on("segment", onSegmentEvent);
  on("presence", (data) => showPresence(data.presence));
  on("comments", (data) => {
    setComments(data.unit, data.count);
    if (S.target && S.target.unitId === data.unit) schedulePanel();
  });
  on("structure", () => {
    if (Date.now() > ignoreStructureUntil) scheduleReload();
  });
}

function onSegmentEvent(data) {
  const seg = data.segment;
  if (!seg) return;
  const info = segInfo(seg.id);
  if (info && info.seg.version >= seg.version) {
    updateSegment({ id: seg.id }, data.siblings); // old news, but the siblings may change
    return;
  }
  const mine = !!(data.by && S.me && data.by.id === S.me.id);
  const a = S.active;
  if (a && a.segId === seg.id && !mine) {
    const job = S.jobs.get(seg.id);
    const name = data.by ? data.by.name : t("nobody");
    if (!a.touched && !busy(job)) {
      // Nothing typed yet: take their text and version, no conflict needed.
      a.ta.value = seg.text;
      a.original = { text: seg.text, status: seg.status, version: seg.version };
      if (job) job.base = seg.version;
      S.notices.set(seg.id, t("updatedBy", { name }));
    } else {
      S.notices.set(seg.id, t("changedBy", { name }));
    }
    announce(S.notices.get(seg.id));
  }
  updateSegment(seg, data.siblings);
  if (S.target && S.target.segId === seg.id) schedulePanel();
}
