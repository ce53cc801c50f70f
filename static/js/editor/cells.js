// The translator's editor: building and repainting one cell from the cached data (its
// text, its autosave state, a conflict shown side by side, who else is in it).

import { S, actionButton, editable, h, langName, statusName, t, tn } from "./core.js";

// ===== cells ==========================================================================
export function segInfo(segId) {
  const ref = S.segs.get(segId);
  if (!ref) return null;
  const unit = S.units.get(ref.unit);
  if (!unit || !unit.segments[ref.lang]) return null;
  return { unit, lang: ref.lang, seg: unit.segments[ref.lang], pos: S.pos.get(unit.id) };
}

export function buildCell(unit, lang) {
  const seg = unit.segments[lang];
  const cell = h("div", "cell");
  cell.setAttribute("role", "gridcell");
  cell.lang = lang;
  cell.dataset.lang = lang;
  cell.dataset.unit = String(unit.id);
  cell.setAttribute("aria-label", langName(lang));
  if (!seg) {
    cell.classList.add("missing");
    cell.tabIndex = -1;
    return cell;
  }
  cell.tabIndex = 0;
  cell.dataset.seg = String(seg.id);
  if (!editable(lang)) cell.setAttribute("aria-readonly", "true");
  fillCell(cell, { unit, lang, seg });
  return cell;
}

function cellClasses(cell, info) {
  const { seg, lang } = info;
  const names = ["cell", "status-" + seg.status];
  if (seg.outdated) names.push("outdated");
  if (!editable(lang)) names.push("readonly");
  if (S.active && S.active.segId === seg.id) names.push("editing");
  if ((S.presence.get(seg.id) || []).length) names.push("others-here");
  if (S.conflicts.has(seg.id)) names.push("has-conflict");
  cell.className = names.join(" ");
  cell.title = statusName(seg.status) + (seg.outdated ? " · " + t("outdated") : "");
}

export function pendingText(segId) {
  const job = S.jobs.get(segId);
  if (!job) return null;
  if (job.want) return job.want.text;
  if (job.sent) return job.sent.text;
  return null;
}

/** The whole cell from the cached data (not for the cell being edited). */
export function fillCell(cell, info) {
  const { unit, seg } = info;
  cellClasses(cell, info);
  const parts = [];
  if (unit.role === "footnote" && unit.label) parts.push(h("span", "fn-label", unit.label));
  const conflict = S.conflicts.get(seg.id);
  if (conflict) {
    parts.push(buildConflict(conflict));
  } else {
    const box = h("div", "cell-text");
    const pending = pendingText(seg.id);
    if (pending !== null && pending !== seg.text) {
      box.textContent = pending;
      box.classList.add("pending");
    } else {
      box.innerHTML = seg.html; // sanitized by the server: the one innerHTML of this file
    }
    parts.push(box);
  }
  parts.push(buildMeta(info));
  cell.replaceChildren(...parts);
}

function buildMeta(info) {
  const { seg } = info;
  const meta = h("div", "cell-meta");
  const state = h("span", "cell-state");
  paintState(state, S.jobs.get(seg.id));
  meta.appendChild(state);
  if (seg.outdated) meta.appendChild(h("span", "badge outdated-badge", t("outdated")));
  if (seg.suggestions) {
    meta.appendChild(h("span", "badge suggestions-badge", tn("suggestions", seg.suggestions)));
  }
  const people = S.presence.get(seg.id) || [];
  if (people.length) {
    const badge = h("span", "badge presence-badge", people.join(", "));
    badge.title = t("othersHere", { names: people.join(", ") });
    meta.appendChild(badge);
  }
  const notice = S.notices.get(seg.id);
  if (notice) meta.appendChild(h("span", "notice", notice));
  return meta;
}

/** Redraw a cell after its data changed; the open editor keeps its textarea. */
export function refreshCell(segId) {
  const cell = S.cells.get(segId);
  if (!cell || !cell.isConnected) return;
  const info = segInfo(segId);
  if (!info) return;
  const conflict = S.conflicts.get(segId);
  if ((S.active && S.active.segId === segId) || (conflict && conflict.merging)) {
    // Someone's presence or save must not rebuild a textarea being typed in.
    cellClasses(cell, info);
    const meta = cell.querySelector(":scope > .cell-meta");
    if (meta) meta.replaceWith(buildMeta(info));
  } else {
    fillCell(cell, info);
  }
}

/** A 409 shown in its cell: their text, mine, and what to do. */
function buildConflict(c) {
  const box = h("div", "conflict");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", t("conflictTitle"));
  box.appendChild(h("p", "conflict-title", t("conflictTitle")));
  const sides = h("div", "conflict-sides");
  const theirs = h("div", "side theirs");
  theirs.appendChild(h("p", "side-title", c.by ? t("theirsBy", { name: c.by.name }) : t("theirs")));
  const theirText = h("div", "side-text");
  theirText.innerHTML = c.theirs ? c.theirs.html : ""; // sanitized by the server
  theirs.appendChild(theirText);
  const yours = h("div", "side yours");
  yours.appendChild(h("p", "side-title", t("yours")));
  yours.appendChild(h("div", "side-text", c.yours));
  sides.append(theirs, yours);
  box.appendChild(sides);
  if (c.merging) {
    const ta = h("textarea", "merge-input");
    ta.value = c.mergeText !== null ? c.mergeText : c.yours;
    ta.setAttribute("aria-label", t("mergeLabel"));
    ta.addEventListener("input", () => (c.mergeText = ta.value));
    box.appendChild(ta);
    const actions = h("div", "conflict-actions");
    actions.append(
      actionButton(t("saveMerged"), "merge-save", "small primary"),
      actionButton(t("cancel"), "merge-cancel"),
    );
    box.appendChild(actions);
  } else {
    const actions = h("div", "conflict-actions");
    actions.append(
      actionButton(t("keepTheirs"), "keep-theirs"),
      actionButton(t("useMine"), "use-mine"),
      actionButton(t("merge"), "merge"),
    );
    box.appendChild(actions);
  }
  if (c.error) box.appendChild(h("p", "conflict-error", c.error));
  return box;
}

export function paintState(span, job) {
  const state = job ? job.state : "";
  span.dataset.state = state;
  span.textContent = state === "error" ? job.error : state ? t("state." + state) : "";
}

/** Merge fresh segment data into the cache and redraw its cell. */
export function updateSegment(seg, siblings) {
  const ref = S.segs.get(seg.id);
  if (ref) {
    const unit = S.units.get(ref.unit);
    if (unit) unit.segments[ref.lang] = Object.assign({}, unit.segments[ref.lang], seg);
    refreshCell(seg.id);
  }
  for (const sibling of siblings || []) {
    const info = segInfo(sibling.id);
    if (info && info.seg.outdated !== sibling.outdated) {
      info.seg.outdated = sibling.outdated;
      refreshCell(sibling.id);
    }
  }
}
