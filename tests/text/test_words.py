"""Word counts for progress statistics."""

from __future__ import annotations

import pytest

from translator.text.segmentation import count_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   ", 0),
        ("One two three.", 3),
        ("L’homme est libre — vraiment.", 4),
        ("«\u00a0Oui\u00a0», dit-il.", 2),
        ("It cost 1.5 million (about 3,5 %).", 6),
        ('<em>free</em>dom and <a href="https://x.org/a b c">link</a>', 3),
        ("one<br>two<br/>three", 3),
        ("Tom &amp; Jerry &quot;run&quot;", 3),
        ("— … ! ?", 0),
        ("我爱北京。", 4),
        ("我爱Python和Flask。", 5),
        ("「はい」と言った。", 6),
        ("한국어 문장 입니다.", 3),
        ("Hi 🙂 there", 2),
    ],
)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected
