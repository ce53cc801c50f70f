// The translator's editor: presence (who else is in which cell, mine sent to the
// server) and the notices shown in a cell someone else changed while I edit it.

import { refreshCell } from "./cells.js";
import { PRESENCE_RENEW, S, api, config } from "./core.js";

// ===== presence =======================================================================
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

export function showPresence(list) {
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

/** "Changed by X" in the cell I edit (null takes it away). */
export function setNotice(segId, text) {
  if (text) S.notices.set(segId, text);
  else S.notices.delete(segId);
}
