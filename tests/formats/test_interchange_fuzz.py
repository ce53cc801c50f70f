"""Damaged interchange files: whatever is cut, repeated or overwritten in a valid XLIFF,
PO or TMX file, reading it either works or raises InputError naming the file; it never
crashes with anything else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator.errors import InputError
from translator.formats.exports import ExportOptions, export_format
from translator.formats.interchange import read_interchange

from .interchange_samples import sample_file

FILES = {
    name: export_format(name).write(sample_file(6), ExportOptions("en", "fr"))
    for name in ("xliff", "xliff2", "po", "tmx")
}
EXTENSION = {"xliff": "xlf", "xliff2": "xliff", "po": "po", "tmx": "tmx"}


@pytest.mark.parametrize("name", sorted(FILES))
@given(
    start=st.floats(0, 1),
    length=st.integers(0, 80),
    junk=st.binary(max_size=12) | st.sampled_from([b"<", b"&", b'"', b"\x00", b"\xff", b"]]>"]),
)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_damaged_file_reads_or_is_an_input_error(
    name: str, start: float, length: int, junk: bytes
) -> None:
    data = FILES[name]
    at = int(start * len(data))
    damaged = data[:at] + junk + data[at + length :]
    filename = f"damaged.{EXTENSION[name]}"
    try:
        result = read_interchange(damaged, filename)
    except InputError as exc:
        assert exc.file == filename
    else:
        assert result.units
