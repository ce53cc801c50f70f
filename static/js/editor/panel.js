// The translator's editor: the side panel: history, suggestions, comments. It owns the
// target: the last focused cell, which the panel and the row menu are about.

import { on } from "./bus.js";
import { segInfo, updateSegment } from "./cells.js";
import { resolveConflict } from "./conflicts.js";
import {
  S, actionButton, api, editable, errorText, flash, formatTime, h, langName, panel, panelButton,
  renderOps, root, statusName, t, urls,
} from "./core.js";
import { closeEditor, settle } from "./editing.js";
import { setComments } from "./grid.js";
import { goOffline } from "./saving.js";

// ===== side panel: history, suggestions, comments =====================================
let panelTimer = null;
let panelGen = 0;

export function setTarget(target, now) {
  const same = S.target && S.target.segId === target.segId;
  S.target = target;
  if (!same || now) schedulePanel(now ? 0 : 250);
}

export function schedulePanel(delay) {
  if (panel.hidden) return;
  clearTimeout(panelTimer);
  panelTimer = setTimeout(loadPanel, delay === undefined ? 250 : delay);
}

export function openPanel() {
  if (!panel.hidden) return;
  panel.hidden = false;
  root.classList.add("with-panel");
  panelButton.setAttribute("aria-expanded", "true");
  schedulePanel(0);
}

export function togglePanel() {
  if (panel.hidden) return openPanel();
  panel.hidden = true;
  root.classList.remove("with-panel");
  panelButton.setAttribute("aria-expanded", "false");
}

panelButton.addEventListener("click", togglePanel);
on("saved", ({ segId }) => {
  if (S.target && S.target.segId === segId) schedulePanel();
});
panel.querySelector("[data-close]").addEventListener("click", togglePanel);

async function loadPanel() {
  const target = S.target;
  const title = panel.querySelector(".panel-title");
  const sections = panel.querySelector(".panel-sections");
  if (!target) {
    title.textContent = t("panelEmpty");
    sections.hidden = true;
    return;
  }
  const gen = ++panelGen;
  const unit = S.units.get(target.unitId);
  title.textContent = t("panelTitle", { n: unit ? unit.index + 1 : "?", language: langName(target.lang) });
  sections.hidden = false;
  // Each list on its own: one that fails says so without hiding the others.
  const get = (url, key) => api("GET", url).then(
    (res) => (res.ok ? res.data[key] || [] : errorText(res)),
    () => t("offlineLoading"),
  );
  const [history, suggestions, comments] = await Promise.all([
    get(urls.segment(target.segId) + "/history", "revisions"),
    get(urls.segment(target.segId) + "/suggestions", "suggestions"),
    get(urls.unit(target.unitId, "comments"), "comments"),
  ]);
  if (gen !== panelGen) return;
  showList(".history-list", history, (items) => showHistory(target, items));
  showRejectForm(target);
  showList(".suggestions-list", suggestions, (items) => showSuggestions(target, items));
  showList(".comments-list", comments, (items) => showComments(target, items));
}

function showList(selector, result, show) {
  if (typeof result !== "string") return show(result);
  panel.querySelector(selector).replaceChildren(h("li", "error", result));
}

function byline(author, when, extra) {
  const parts = [author ? author.name : t("nobody"), formatTime(when)].concat(extra || []);
  return h("p", "byline", parts.filter(Boolean).join(" · "));
}

function showHistory(target, revisions) {
  const list = panel.querySelector(".history-list");
  list.replaceChildren();
  if (!revisions.length) list.appendChild(h("li", "empty-state", t("noHistory")));
  revisions.forEach((rev, n) => {
    const item = h("li", "revision");
    const about = [t("reason." + rev.reason), statusName(rev.status)];
    item.appendChild(byline(rev.author, rev.created_at, about));
    item.appendChild(renderOps(rev.ops));
    if (n > 0 && editable(target.lang)) {
      const revert = actionButton(t("revert"), null);
      const url = urls.segment(target.segId) + "/revert";
      revert.addEventListener("click", () => panelWrite(target, url, { revision: rev.id }, true));
      item.appendChild(revert);
    }
    list.appendChild(item);
  });
}

/** A reviewer of the cell's language may send a translated text back, with a reason. */
function showRejectForm(target) {
  const form = panel.querySelector(".reject-form");
  const lang = S.langs.get(target.lang);
  const info = segInfo(target.segId);
  form.hidden = !(lang && lang.reviewer && info && info.seg.text && info.seg.status !== "draft");
}

panel.querySelector(".reject-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const reason = form.elements.reason.value.trim();
  const target = S.target;
  if (!reason || !target) return;
  const url = urls.segment(target.segId) + "/reject";
  if (await panelWrite(target, url, { reason }, true)) {
    form.elements.reason.value = "";
    flash(t("rejectSent"));
  }
});

function showSuggestions(target, suggestions) {
  const list = panel.querySelector(".suggestions-list");
  list.replaceChildren();
  if (!suggestions.length) list.appendChild(h("li", "empty-state", t("noSuggestions")));
  for (const s of suggestions) {
    const item = h("li", "suggestion state-" + s.state);
    const about = [t("kind." + s.kind), t("suggestionState." + s.state)];
    item.appendChild(byline(s.author, s.created_at, about));
    item.appendChild(renderOps(s.ops));
    if (s.state === "open" && editable(target.lang)) {
      const accept = actionButton(t("accept"), null, "small primary");
      const acceptUrl = urls.suggestion(s.id, "accept");
      accept.addEventListener("click", () => panelWrite(target, acceptUrl, undefined, true, s.id));
      const reject = actionButton(t("reject"), null);
      const rejectUrl = urls.suggestion(s.id, "reject");
      reject.addEventListener("click", () => panelWrite(target, rejectUrl, undefined, false, s.id));
      item.append(accept, reject);
    }
    list.appendChild(item);
  }
}

function showComments(target, comments) {
  const list = panel.querySelector(".comments-list");
  list.replaceChildren();
  if (!comments.length) list.appendChild(h("li", "empty-state", t("noComments")));
  for (const c of comments) {
    const item = h("li", "comment" + (c.resolved ? " resolved" : ""));
    item.appendChild(byline(c.author, c.created_at, [c.language ? langName(c.language) : null,
      c.resolved ? t("resolved") : null]));
    item.appendChild(h("p", "comment-body", c.body));
    const toggle = actionButton(c.resolved ? t("reopen") : t("resolve"), null);
    toggle.addEventListener("click", async () => {
      const res = await panelApi("POST", urls.resolve(c.id), { body: { resolved: !c.resolved } });
      if (res) schedulePanel(0);
    });
    item.appendChild(toggle);
    list.appendChild(item);
  }
  setComments(target.unitId, comments.filter((c) => !c.resolved).length);
}

export async function panelApi(method, url, options) {
  try {
    const res = await api(method, url, options);
    if (res.ok) return res;
    flash(errorText(res), "error");
  } catch (err) {
    goOffline();
    flash(t("offlineAction"), "error");
  }
  return null;
}

/** Revert / accept / reject from the panel: the cell's text changes under the editor. */
async function panelWrite(target, url, body, versioned, suggestionId) {
  if (S.active && S.active.segId === target.segId) closeEditor();
  if (!(await settle())) return flash(t("offlineAction"), "error");
  const info = segInfo(target.segId);
  const version = versioned ? (info ? info.seg.version : undefined) : undefined;
  const res = await panelApi("POST", url, { body: body || {}, version });
  if (!res) {
    schedulePanel(0);
    return false;
  }
  if (res.data.segment) updateSegment(res.data.segment, res.data.siblings);
  const conflict = S.conflicts.get(target.segId);
  if (conflict && conflict.suggestion && conflict.suggestion.id === suggestionId) {
    resolveConflict(conflict, res.data.segment || conflict.theirs);
  }
  schedulePanel(0);
  return true;
}

panel.querySelector(".comment-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const text = form.elements.body.value.trim();
  const target = S.target;
  if (!text || !target) return;
  const res = await panelApi("POST", urls.unit(target.unitId, "comments"), {
    body: { body: text, language: target.lang },
  });
  if (!res) return;
  form.elements.body.value = "";
  schedulePanel(0);
});
