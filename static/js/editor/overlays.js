// The translator's editor: the help overlay and the column chooser.

import { emit } from "./bus.js";
import {
  $, S, actionButton, columnsButton, columnsPop, config, flash, h, help, langName, t,
} from "./core.js";
import { panelApi } from "./panel.js";
import { closeRowMenu } from "./structure.js";

// ===== help overlay and column chooser ================================================
let helpReturn = null;

export function openHelp() {
  helpReturn = document.activeElement;
  help.hidden = false;
  help.querySelector("[data-close]").focus();
}

export function closeOverlays() {
  if (!help.hidden) {
    help.hidden = true;
    if (helpReturn && helpReturn.isConnected) helpReturn.focus();
    return true;
  }
  if (closeRowMenu(true)) return true;
  if (!columnsPop.hidden) {
    closeColumns();
    columnsButton.focus();
    return true;
  }
  return false;
}

$("#help-button").addEventListener("click", openHelp);
help.addEventListener("click", (event) => {
  if (event.target === help || event.target.closest("[data-close]")) closeOverlays();
});

function openColumns() {
  const list = columnsPop.querySelector(".columns-list");
  list.replaceChildren();
  const order = S.columns.concat([...S.langs.keys()].filter((code) => !S.columns.includes(code)));
  for (const code of order) {
    const item = h("li", "column-choice");
    item.dataset.code = code;
    const label = h("label");
    const box = h("input");
    box.type = "checkbox";
    box.checked = S.columns.includes(code);
    label.append(box, " " + langName(code));
    const up = actionButton("↑", "up", "small icon");
    up.setAttribute("aria-label", t("moveUp", { language: langName(code) }));
    const down = actionButton("↓", "down", "small icon");
    down.setAttribute("aria-label", t("moveDown", { language: langName(code) }));
    item.append(label, up, down);
    list.appendChild(item);
  }
  columnsPop.hidden = false;
  columnsButton.setAttribute("aria-expanded", "true");
  const first = list.querySelector("input");
  if (first) first.focus();
}

function closeColumns() {
  columnsPop.hidden = true;
  columnsButton.setAttribute("aria-expanded", "false");
}

columnsButton.addEventListener("click", () => (columnsPop.hidden ? openColumns() : closeColumns()));

columnsPop.addEventListener("click", async (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const item = button.closest(".column-choice");
  if (button.dataset.action === "up" && item.previousElementSibling) {
    item.previousElementSibling.before(item);
    button.focus();
  } else if (button.dataset.action === "down" && item.nextElementSibling) {
    item.nextElementSibling.after(item);
    button.focus();
  } else if (button.dataset.columns === "cancel") {
    closeColumns();
    columnsButton.focus();
  } else if (button.dataset.columns === "apply") {
    const chosen = [...columnsPop.querySelectorAll(".column-choice")]
      .filter((li) => li.querySelector("input").checked)
      .map((li) => li.dataset.code);
    if (!chosen.length) return flash(t("oneColumn"), "error");
    const res = await panelApi("PUT", config.columns, { body: { columns: chosen } });
    if (!res) return;
    closeColumns();
    columnsButton.focus();
    emit("columns-chosen", { columns: res.data.columns || chosen }); // main.js shows them
  }
});
