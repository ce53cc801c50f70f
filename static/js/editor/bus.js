// The translator's editor: messages upward. A lower module says what happened here and
// the higher modules that care listen, so that no module imports one above it:
//
//   "saved"         {segId}            saving.js → panel.js (refresh the history)
//   "conflict"      {job, body, data}  saving.js → conflicts.js (a 409: show both texts)
//   "orphaned"      {job, body}        saving.js → conflicts.js (the segment is gone)
//   "orphan-found"  {segId, text}      saving.js → conflicts.js (a draft whose row is gone)
//   "retry"         {}                 saving.js → grid.js, list.js (back online: load again)
//   "total-changed" {}                 grid.js → list.js (rows came or went: reload)
//   "confirmed"     {pos, lang, cell}  editing.js → keyboard.js (go to the next cell to do)
//   "columns-chosen" {columns}         overlays.js → main.js (the columns were saved)
//
// The bus is synchronous, like the calls it replaces. It imports nothing.

const bus = new EventTarget();

export function emit(name, detail) {
  bus.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
}

export function on(name, handler) {
  bus.addEventListener(name, (event) => handler(event.detail));
}
