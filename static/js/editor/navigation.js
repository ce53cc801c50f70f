// The translator's editor: moving through the list: the next cell that needs work (asking
// the server across the chunks not loaded), and going to a row's cell.

import { CHUNK, Offline, S, api, errorText, flash, urls } from "./core.js";
import { focusQuiet } from "./editing.js";
import { loadChunk, renderChunk } from "./grid.js";
import { goOffline } from "./saving.js";

function needsWork(seg) {
  if (!seg) return false;
  const job = S.jobs.get(seg.id);
  if (job && ((job.want && job.want.confirm) || (job.sent && job.sent.confirm))) return false;
  return seg.status === "empty" || seg.status === "draft" || seg.outdated;
}

/** The next position from `pos` (exclusive) in direction `dir` whose cell in `lang`
 * needs work (`needsWork`); null if none. Loaded chunks are read here (they know this
 * page's unsent confirmations); a stretch of chunks not loaded yet is one request to
 * the server (units/next), however long it is. */
export async function findWork(pos, dir, lang) {
  const gen = S.gen;
  let p = pos + dir;
  while (p >= 0 && p < S.total) {
    const i = Math.floor(p / CHUNK);
    const units = S.chunks[i] && S.chunks[i].units;
    if (units) {
      const unit = units[p - i * CHUNK];
      if (unit && needsWork(unit.segments[lang])) return p;
      p += dir;
      continue;
    }
    let j = i; // the stretch of unloaded chunks starting at chunk i
    while (S.chunks[j + dir] && !S.chunks[j + dir].units) j += dir;
    const beyond = dir > 0 ? Math.min(S.total, (j + 1) * CHUNK) : j * CHUNK - 1;
    let res;
    try {
      res = await api("GET", urls.next(p - dir, dir, lang));
    } catch (err) {
      if (err instanceof Offline) goOffline();
      return null;
    }
    if (gen !== S.gen) return null;
    if (!res.ok) {
      flash(errorText(res), "error");
      return null;
    }
    const q = res.data.position;
    if (typeof q === "number" && (dir > 0 ? q < beyond : q > beyond)) {
      const k = Math.floor(q / CHUNK);
      const loaded = await loadChunk(k);
      if (gen !== S.gen || !loaded) return null;
      const unit = loaded[q - k * CHUNK];
      if (unit && needsWork(unit.segments[lang])) return q;
      p = q + dir; // done meanwhile: go on from there
      continue;
    }
    p = beyond;
  }
  return null;
}

/** Render the row at `pos` if needed, scroll it into view, focus its `lang` cell. */
export async function goTo(pos, lang, quiet) {
  const c = S.chunks[Math.floor(pos / CHUNK)];
  if (!c) return null;
  await loadChunk(c.i);
  if (S.chunks[c.i] !== c) return null;
  renderChunk(c);
  const row = S.rows.get(pos);
  const cell = row && row.querySelector('.cell[data-lang="' + CSS.escape(lang) + '"]');
  if (!cell) return null;
  cell.scrollIntoView({ block: "nearest" });
  if (quiet) focusQuiet(cell);
  else cell.focus({ preventScroll: true });
  return cell;
}

