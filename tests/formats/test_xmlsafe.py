"""The one XML parse: entity bombs, external entities (files, URLs) and oversized
input are refused with an InputError naming the file; nothing is read from disk or the
network; a file that is something else under an interchange name says what it is."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from translator.errors import InputError
from translator.formats.interchange import read_interchange
from translator.formats.xmlsafe import parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file source-language="en"
 datatype="plaintext" original="o"><body><trans-unit id="1"><source>&lol9;</source>
</trans-unit></body></file></xliff>"""


def xxe(system: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY secret SYSTEM "{system}">]>
<tmx version="1.4"><header srclang="en"/><body><tu tuid="1"><tuv xml:lang="en">
<seg>&secret;</seg></tuv></tu></body></tmx>""".encode()


@pytest.fixture
def listener() -> Iterator[list[str]]:
    """A local HTTP server that records every request it gets."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<!ENTITY x 'leak'>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    asked.append(f"http://127.0.0.1:{server.server_port}")
    yield asked
    server.shutdown()
    server.server_close()


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(InputError, match="entities") as caught:
        read_interchange(BILLION_LAUGHS, "bomb.xlf")
    assert caught.value.file == "bomb.xlf"


@pytest.mark.parametrize("system", ["file:///etc/passwd", "/etc/passwd"])
def test_external_file_entities_are_refused(system: str) -> None:
    with pytest.raises(InputError, match="entities") as caught:
        read_interchange(xxe(system), "xxe.tmx")
    assert caught.value.file == "xxe.tmx"
    assert "root:" not in str(caught.value)


def test_network_entities_and_dtds_are_never_fetched(listener: list[str]) -> None:
    base = listener[0]
    with pytest.raises(InputError, match="entities"):
        read_interchange(xxe(f"{base}/entity"), "xxe.tmx")
    parameter = f"""<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY % p SYSTEM "{base}/dtd"> %p;]>
<tmx version="1.4"><body/></tmx>""".encode()
    with pytest.raises(InputError, match="entities"):
        read_interchange(parameter, "p.tmx")
    external_dtd = f"""<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "{base}/tmx14.dtd">
<tmx version="1.4"><header srclang="en"/><body><tu tuid="1"><tuv xml:lang="en"><seg>ok</seg>
</tuv></tu></body></tmx>""".encode()
    assert read_interchange(external_dtd, "ok.tmx").units[0].segments["en"].text == "ok"
    assert listener[1:] == []  # nothing was asked for


def test_entities_hidden_in_utf16_are_refused() -> None:
    data = (
        xxe("file:///etc/passwd")
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    )
    with pytest.raises(InputError, match="entities"):
        parse_xml(data.encode("utf-16"), "wide.tmx")


def test_an_undeclared_entity_is_a_syntax_error_with_a_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_xml(b"<a>\n<b>&nbsp;</b></a>", "n.xlf")
    assert caught.value.line == 2


def test_a_huge_text_node_is_refused() -> None:
    data = (
        b"<tmx><body><tu><tuv xml:lang='en'><seg>"
        + b"a" * 11_000_000
        + b"</seg></tuv></tu></body></tmx>"
    )
    with pytest.raises(InputError):
        parse_xml(data, "huge.tmx")


@pytest.mark.parametrize(
    ("data", "name", "needle"),
    [
        (b"%PDF-1.4\n1 0 obj\n", "doc.xlf", "PDF"),
        (b"PK\x03\x04\x14\x00", "doc.xliff", "ZIP"),
        (b'msgid "a"\nmsgstr "b"\n', "doc.xlf", "PO file, not an XLIFF"),
        (b"", "doc.xlf", "empty"),
        (b"\n\n  ", "doc.tmx", "empty"),
        (b"just some text", "doc.tmx", "not XML"),
        (b"<a>", "doc.txt", "not an interchange file name"),
    ],
)
def test_content_must_match_the_extension(data: bytes, name: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as caught:
        read_interchange(data, name)
    assert caught.value.file == name
