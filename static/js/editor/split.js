// The translator's editor: the split dialog, where the user chooses, for each other
// edition of the row, whether its text stays in the first unit, goes to the second, or
// is cut too at one of its sentence boundaries. It only asks: structure.js splits.

import { $, h, langName, t } from "./core.js";

const dialog = $("#split-dialog");
const form = dialog.querySelector("form");
const EXCERPT = 60;
let asking = null; // {resolve, returnTo} while the dialog is open
const remembered = new Map(); // language → "first" | "second": offered again next time

function shortEnd(text) {
  const clean = text.trim();
  return clean.length > EXCERPT ? "…" + clean.slice(-EXCERPT) : clean;
}

function shortStart(text) {
  const clean = text.trim();
  return clean.length > EXCERPT ? clean.slice(0, EXCERPT) + "…" : clean;
}

/** Offsets where a sentence of `text` starts (after the first), where the browser knows. */
function sentenceCuts(text, lang) {
  if (!window.Intl || !Intl.Segmenter) return [];
  const cuts = [];
  for (const part of new Intl.Segmenter(lang, { granularity: "sentence" }).segment(text)) {
    if (part.index > 0 && text.slice(0, part.index).trim() && text.slice(part.index).trim()) {
      cuts.push(part.index);
    }
  }
  return cuts;
}

function radio(name, value, label, checked) {
  const wrap = h("label");
  const input = h("input");
  input.type = "radio";
  input.name = name;
  input.value = value;
  input.checked = checked;
  wrap.append(input, " " + label);
  return wrap;
}

function choiceFor({ lang, text }, n) {
  const set = h("fieldset");
  set.dataset.lang = lang;
  set.appendChild(h("legend", "", langName(lang)));
  const quote = h("p", "excerpt", shortStart(text));
  quote.lang = lang;
  set.appendChild(quote);
  const name = "split-" + n;
  const side = remembered.get(lang) || "second";
  set.append(
    radio(name, "first", t("splitFirst"), side === "first"),
    radio(name, "second", t("splitSecond"), side === "second"),
  );
  const cuts = sentenceCuts(text, lang);
  if (cuts.length) {
    const cut = radio(name, "cut", t("splitCut"), false);
    const select = h("select");
    select.setAttribute("aria-label", t("splitCutAt", { language: langName(lang) }));
    select.lang = lang;
    let start = 0;
    for (const at of cuts) {
      select.appendChild(new Option(shortEnd(text.slice(start, at)), String(at)));
      start = at;
    }
    select.addEventListener("change", () => (cut.querySelector("input").checked = true));
    set.append(cut, select);
  }
  return set;
}

/** Ask where the other editions go when `text` (in `lang`) is cut at `offset`; `others`
 * are the other columns with text, [{lang, text}]. Resolves to {placements} for the API
 * (language → "first", "second" or an offset), or null when the user cancels. */
export function chooseSplit({ lang, text, offset, others, unseen }) {
  finish(null);
  const preview = form.querySelector(".split-preview");
  preview.lang = lang;
  preview.querySelector(".head").textContent = shortEnd(text.slice(0, offset));
  preview.querySelector(".tail").textContent = shortStart(text.slice(offset));
  const box = form.querySelector(".split-choices");
  box.replaceChildren(...others.map(choiceFor));
  form.querySelector(".split-unseen").hidden = !unseen;
  const focused = document.activeElement;
  // The cell's editor closes when the focus comes here: cancelling goes back to its cell.
  const returnTo = (focused && focused.closest && focused.closest(".cell")) || focused;
  dialog.hidden = false;
  (box.querySelector("input:checked") || form.querySelector('[type="submit"]')).focus();
  return new Promise((resolve) => (asking = { resolve, returnTo }));
}

function finish(answer) {
  if (!asking) return false;
  const { resolve, returnTo } = asking;
  asking = null;
  dialog.hidden = true;
  if (!answer && returnTo && returnTo.isConnected) returnTo.focus();
  resolve(answer);
  return true;
}

/** Close the dialog as cancelled; false if it was not open. */
export function cancelSplit() {
  return finish(null);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const placements = {};
  for (const set of form.querySelectorAll("fieldset[data-lang]")) {
    const chosen = set.querySelector("input:checked");
    const value = chosen ? chosen.value : "second";
    if (value === "cut") {
      placements[set.dataset.lang] = +set.querySelector("select").value;
    } else {
      placements[set.dataset.lang] = value;
      remembered.set(set.dataset.lang, value);
    }
  }
  finish({ placements });
});

form.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    event.preventDefault();
    event.stopPropagation(); // the page's Escape would undo the typing of the cell
    finish(null);
  } else if (event.key === "Enter" && ["INPUT", "SELECT"].includes(event.target.tagName)) {
    event.preventDefault();
    form.requestSubmit();
  } else if (event.key === "Tab") {
    // A modal dialog: Tab goes round its own controls (a radio group is one stop).
    const stops = [...form.querySelectorAll("input:checked, select, button")];
    const at = stops.indexOf(document.activeElement);
    const edge = event.shiftKey ? 0 : stops.length - 1;
    if (at === edge || at < 0) {
      event.preventDefault();
      stops[event.shiftKey ? stops.length - 1 : 0].focus();
    }
  }
});

form.querySelector("[data-close]").addEventListener("click", () => finish(null));
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) finish(null);
});
