"""N-way alignment through a pivot: the merge of pair alignments into units (a property
test: every sentence of every edition in exactly one unit, in order, and the units the
coarsest common partition of the pivot) and align_editions end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.errors import InputError
from translator.text.alignment import Bead, BlockInfo, EditionText, align_editions
from translator.text.alignment.nway import NWayUnit, merge_pair_alignments

NEWS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ntrex-en-fr-pt"
IN_CI = os.environ.get("CI", "").lower() == "true"
KINDS = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (1, 1), (1, 1)]


def beads_of(kinds: list[tuple[int, int]], n_pivot: int, scores: list[float]) -> list[Bead]:
    """A valid pair alignment over ``n_pivot`` pivot sentences from a list of kinds."""
    beads: list[Bead] = []
    i = j = 0
    for k, (a, b) in enumerate(kinds):
        if i + a > n_pivot:
            continue
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), scores[k]))
        i, j = i + a, j + b
    while i < n_pivot:
        beads.append(Bead((i,), (j,), 1.0))
        i, j = i + 1, j + 1
    return beads


alignments = st.integers(min_value=0, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                st.lists(st.sampled_from(KINDS), max_size=16),
                st.lists(st.floats(0, 1), min_size=16, max_size=16),
            ),
            min_size=1,
            max_size=3,
        ),
    )
)


@settings(max_examples=300, deadline=None)
@given(alignments)
def test_units_are_the_coarsest_common_partition(case: tuple[int, list]) -> None:
    n_pivot, drawn = case
    pairs = {f"l{k}": beads_of(kinds, n_pivot, scores) for k, (kinds, scores) in enumerate(drawn)}
    units = merge_pair_alignments(n_pivot, "pivot", pairs)
    # Every sentence of every edition in exactly one unit, in order.
    assert [s for u in units for s in u.cells["pivot"]] == list(range(n_pivot))
    for language, beads in pairs.items():
        total = sum(len(b.tgt) for b in beads)
        assert [s for u in units for s in u.cells[language]] == list(range(total))
    unit_of = {("pivot", s): k for k, u in enumerate(units) for s in u.cells["pivot"]}
    for language in pairs:
        unit_of |= {(language, s): k for k, u in enumerate(units) for s in u.cells[language]}
    # Each bead lies within one unit, which is no more confident than the bead.
    crossed = set()
    for language, beads in pairs.items():
        for bead in beads:
            homes = {unit_of["pivot", s] for s in bead.src} | {
                unit_of[language, s] for s in bead.tgt
            }
            assert len(homes) == 1
            assert units[homes.pop()].confidence <= bead.score
            crossed |= {(s, s + 1) for s in bead.src[:-1]}
    # Coarsest: a unit holds two pivot sentences only if some bead holds both.
    for unit in units:
        pivot = unit.cells["pivot"]
        assert all((s, s + 1) in crossed for s in pivot[:-1])
        if not pivot:
            assert sum(len(cell) for cell in unit.cells.values()) >= 1


def test_overlapping_merges_join_three_pivot_sentences() -> None:
    fr = beads_of([(1, 1)] * 3 + [(2, 1)], 6, [0.9] * 8)  # pivot 3, 4 -> fr 3
    pt = beads_of([(1, 1)] * 4 + [(2, 1)], 6, [0.8] * 8)  # pivot 4, 5 -> pt 4
    units = merge_pair_alignments(6, "en", {"fr": fr, "pt": pt})
    assert [u.cells for u in units][-1] == {"en": (3, 4, 5), "fr": (3, 4), "pt": (3, 4)}
    assert units[-1].confidence == 0.8


def test_a_sentence_without_pivot_counterpart_is_a_unit_of_its_own() -> None:
    fr = [Bead((0,), (0,), 0.9), Bead((), (1,), 0.6), Bead((1,), (2,), 0.9)]
    pt = [Bead((0, 1), (0,), 0.7)]  # ... unless another edition merges around it
    units = merge_pair_alignments(2, "en", {"fr": fr})
    assert [u.cells for u in units] == [
        {"en": (0,), "fr": (0,)},
        {"en": (), "fr": (1,)},
        {"en": (1,), "fr": (2,)},
    ]
    units = merge_pair_alignments(2, "en", {"fr": fr, "pt": pt})
    assert [u.cells for u in units] == [{"en": (0, 1), "fr": (0, 1, 2), "pt": (0,)}]


def news(language: str, count: int = 10) -> list[str]:
    path = NEWS / f"newstest2019.{language}"
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing")
        pytest.skip(f"{path} is not here")
    return path.read_text(encoding="utf-8").splitlines()[200 : 200 + count]


def test_three_editions_with_different_merges() -> None:
    en, fr, pt = news("en"), news("fr"), news("pt")
    fr[3:5] = [fr[3] + " " + fr[4]]
    pt[4:6] = [pt[4] + " " + pt[5]]
    del pt[7]  # the last but two (pt 7 was en 8) is missing in Portuguese
    editions = [EditionText("fr", fr), EditionText("en", en), EditionText("pt", pt)]
    units = align_editions(editions, pivot="en")
    cells = [u.cells for u in units]
    assert {"en": (3, 4, 5), "fr": (3, 4), "pt": (3, 4)} in cells
    assert {"en": (8,), "fr": (7,), "pt": ()} in cells
    assert list(cells[0]) == ["en", "fr", "pt"]
    assert all(0 <= u.confidence <= 1 for u in units)


def test_an_empty_edition_gives_units_without_it() -> None:
    units = align_editions([EditionText("en", news("en", 4)), EditionText("fr", [])], "en")
    assert [u.cells for u in units] == [{"en": (k,), "fr": ()} for k in range(4)]
    units = align_editions([EditionText("en", []), EditionText("fr", news("fr", 2))], "en")
    assert [u.cells for u in units] == [{"en": (), "fr": (0,)}, {"en": (), "fr": (1,)}]


def test_units_carry_the_blocks_they_come_from() -> None:
    en, fr = news("en", 7), news("fr", 7)
    blocks = [BlockInfo("heading", 1), BlockInfo("paragraph", 3), BlockInfo("paragraph", 3)]
    units = align_editions([EditionText("en", en, blocks), EditionText("fr", fr, blocks)], "en")
    assert [(u.role, u.block) for u in units] == [("heading", 0)] + [("paragraph", 1)] * 3 + [
        ("paragraph", 2)
    ] * 3
    assert units[4].blocks == {"en": (2,), "fr": (2,)}


def test_bad_editions_are_refused() -> None:
    with pytest.raises(InputError, match="pivot"):
        align_editions([EditionText("en", ["A."])], "fr")
    with pytest.raises(InputError, match="language of its own"):
        align_editions([EditionText("en", ["A."]), EditionText("en", ["B."])], "en")


def test_progress_covers_every_pair() -> None:
    seen: list[float] = []
    editions = [EditionText(lang, news(lang, 3)) for lang in ("en", "fr", "pt")]
    units = align_editions(editions, "en", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(units) == 3
    assert isinstance(units[0], NWayUnit)
