"""The aligner's time and memory stay linear inside a block: an edition imported as one
huge paragraph (plain text without blank lines) is searched coarse to fine, not cell by
cell over its whole rectangle (which took 85 s and 800 MB for 1 800 sentences, and ran
out of memory beyond)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, SHARED

NEWS = SHARED / "corpus" / "ntrex-en-fr-pt" / "newstest2019"

# 20 000 sentences a side in ONE paragraph each, aligned block first, in a process whose
# address space is capped at 2 GB: a search of the whole rectangle (4e8 cells) cannot
# even start there; the coarse-to-fine search needs a few hundred MB.
PROBE = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
from translator.text.alignment import BlockInfo, align_sentences
en = open("{NEWS}.en", encoding="utf-8").read().splitlines()
fr = open("{NEWS}.fr", encoding="utf-8").read().splitlines()
n = 20_000
src, tgt = (en * 11)[:n], (fr * 11)[:n]
beads = align_sentences(
    src, tgt, "en", "fr",
    src_blocks=[BlockInfo("paragraph", n)], tgt_blocks=[BlockInfo("paragraph", n)],
)
diagonal = sum(1 for b in beads if b.src == b.tgt and len(b.src) == 1)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT", len(beads), diagonal, round(peak_mb))
"""


def test_a_20000_sentence_paragraph_aligns_in_bounded_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=240
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    beads, diagonal, peak_mb = (int(x) for x in line.split()[1:])
    # The same sentences on both sides, in the same order: the alignment is (nearly)
    # the diagonal, found without the rectangles' help.
    assert diagonal >= 0.97 * 20_000 and beads <= 20_000
    assert peak_mb < 1000, f"peak RSS {peak_mb} MB"
