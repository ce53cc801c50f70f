// The translator's editor: live events from the server (server-sent events): saves,
// presence, comments and structure changes made by others.

import { segInfo, updateSegment } from "./cells.js";
import { MAX_BACKOFF, S, announce, config, t } from "./core.js";
import { takeTheirs } from "./editing.js";
import { setComments } from "./grid.js";
import { scheduleReload } from "./list.js";
import { schedulePanel } from "./panel.js";
import { setNotice, showPresence } from "./presence.js";
import { busy, retryAll } from "./saving.js";
import { ignoringStructure } from "./structure.js";

// ===== live events ====================================================================
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
    if (!ignoringStructure()) scheduleReload();
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
      takeTheirs(seg);
      setNotice(seg.id, t("updatedBy", { name }));
    } else {
      setNotice(seg.id, t("changedBy", { name }));
    }
    announce(S.notices.get(seg.id));
  }
  updateSegment(seg, data.siblings);
  if (S.target && S.target.segId === seg.id) schedulePanel();
}
