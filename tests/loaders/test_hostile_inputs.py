"""Bad and hostile input: each case ends with the exact exit code, a one-line error naming the file and
the place, and an intact store.

Cases: empty file; truncated XML; XML that is not a LiverTox chapter (another BITS book, an HTML page, a
JSON file); binary data; wrong and mixed encodings (Latin-1, UTF-16, a BOM); archives with a corrupt
member, a member path escaping the target, a symlink member, a gzip bomb, a truncated archive; XML with
external entities (XXE) and exponential entities (billion laughs); a 200 MB file; a chapter with 10,000
references.
"""

from __future__ import annotations

import io
import re
import socket
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg import sources
from livertox_kg.cli import main
from livertox_kg.store import generations as store

CODEINE = "nxml/codeine.nxml"


def build(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["build", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def error_line(err: str, name: str) -> str:
    """The one error line about ``name``; fails when there is none or several."""
    lines = [line for line in err.splitlines() if line.startswith("error: ") and name in line]
    assert len(lines) == 1, err
    return lines[0]


def dump(location: Path) -> list[str]:
    s = store.open_read_only(location)
    return sorted(s.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


@pytest.fixture
def existing(store_dir: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A store that already holds a chapter: every bad build must leave it exactly so."""
    assert build(capsys, str(corpus / CODEINE))[0] == 0
    return dump(store_dir)


def chapter_bytes(corpus: Path, rel: str = CODEINE) -> bytes:
    return (corpus / rel).read_bytes()


def refused(
    capsys: pytest.CaptureFixture[str], store_dir: Path, before: list[str], path: Path, place: str, message: str
) -> None:
    code, _, err = build(capsys, str(path))
    assert code == 2, err
    line = error_line(err, path.name)
    assert f"{path}{place}: " in line, line
    assert message in line, line
    assert dump(store_dir) == before


# --- files --------------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.nxml"
    path.write_bytes(b"")
    refused(capsys, store_dir, existing, path, "", "empty file")


def test_truncated_xml(
    tmp_path: Path, corpus: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = chapter_bytes(corpus)
    path = tmp_path / "truncated.nxml"
    path.write_bytes(data[: len(data) // 2])
    lines = data[: len(data) // 2].count(b"\n") + 1
    refused(capsys, store_dir, existing, path, f":line {lines}", "not well-formed XML")


def test_another_bits_book(
    tmp_path: Path, corpus: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other-book.nxml"
    path.write_bytes(
        chapter_bytes(corpus).replace(b'book-id-type="pmcid">livertox<', b'book-id-type="pmcid">coursebk<')
    )
    refused(capsys, store_dir, existing, path, ":book-part-wrapper", "not a LiverTox chapter: book id is 'coursebk'")


def test_html_page(tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Aldesleukin.html"
    path.write_bytes(b"<!DOCTYPE html>\n<html><head><title>LiverTox</title></head><body><p>hi</p></body></html>\n")
    refused(capsys, store_dir, existing, path, "", "root element is <html>")


def test_xhtml_saved_as_nxml(
    tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "page.nxml"
    path.write_bytes(b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    refused(capsys, store_dir, existing, path, "", "not a LiverTox chapter")


def test_json_file(tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chapter.json"
    path.write_bytes(b'{"id": "Aldesleukin", "title": "Aldesleukin"}\n')
    refused(capsys, store_dir, existing, path, ":line 1", "looks like JSON")


def test_binary_as_nxml(
    tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "image.nxml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    refused(capsys, store_dir, existing, path, ":line 1", "not well-formed XML")


def test_binary_as_text(
    tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, _, err = build(capsys, str(path))
    assert code == 2
    line = error_line(err, path.name)
    assert re.search(rf"{re.escape(str(path))}(:line \d+)?: ", line), line
    assert dump(store_dir) == existing


# --- encodings ----------------------------------------------------------------------------------------


def _with_accent(data: bytes) -> bytes:
    """A real chapter with one non-ASCII character written as UTF-8 in its title."""
    return data.replace(b"<title>Codeine</title>", "<title>Codéine</title>".encode(), 1)


def test_latin1_declared_as_latin1_loads(
    tmp_path: Path, corpus: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _with_accent(chapter_bytes(corpus)).decode("utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path = tmp_path / "latin1.nxml"
    path.write_bytes(text.encode("latin-1", errors="xmlcharrefreplace"))
    code, _, err = build(capsys, str(path))
    assert code == 0, err
    assert main(["query", "likelihood", "--format", "csv"]) == 0
    assert "Codéine" in capsys.readouterr().out


def test_latin1_bytes_declared_utf8(
    tmp_path: Path, corpus: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _with_accent(chapter_bytes(corpus))
    path = tmp_path / "mislabelled.nxml"
    path.write_bytes(data.replace("é".encode(), "é".encode("latin-1")))
    line_no = data[: data.index("é".encode())].count(b"\n") + 1
    refused(capsys, store_dir, existing, path, f":line {line_no}", "not well-formed XML")


def test_utf16_with_bom_loads(
    tmp_path: Path, corpus: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = chapter_bytes(corpus).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "utf16.nxml"
    path.write_bytes(text.encode("utf-16"))
    code, _, err = build(capsys, str(path))
    assert code == 0, err


@pytest.mark.slow
def test_utf8_bom_loads(tmp_path: Path, corpus: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for rel, name in ((CODEINE, "bom.nxml"), ("txt/aldesleukin.txt", "bom.txt")):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + chapter_bytes(corpus, rel))
        code, _, err = build(capsys, str(path))
        assert code == 0, err


def test_mixed_encodings_in_a_text_copy(
    tmp_path: Path, corpus: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = chapter_bytes(corpus, "txt/aldesleukin.txt")
    bad = data.replace(b"Fran\xc3\xa7ais", b"Fran\xe7ais", 1)  # one Latin-1 byte inside UTF-8 text
    assert bad != data
    path = tmp_path / "mixed.txt"
    path.write_bytes(bad)
    line_no = bad[: bad.index(b"\xe7ais")].count(b"\n") + 1
    refused(capsys, store_dir, existing, path, f":line {line_no}", "UTF-8")


# --- entities -----------------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<book-part-wrapper id="Lolz"><book-part><book-part-meta><title-group><title>&lol9;</title></title-group>
</book-part-meta></book-part></book-part-wrapper>
"""


def test_billion_laughs(
    tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lolz.nxml"
    path.write_bytes(BILLION_LAUGHS)
    refused(capsys, store_dir, existing, path, ":line 3", "entity expansion and external entities are off")


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    seen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                seen.append(conn.recv(1024))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def test_xxe_reads_no_file_and_reaches_no_network(
    tmp_path: Path,
    store_dir: Path,
    existing: list[str],
    capsys: pytest.CaptureFixture[str],
    listener: tuple[int, list[bytes]],
) -> None:
    port, seen = listener
    canary = tmp_path / "secret.txt"
    canary.write_text("CANARY-7f3a")
    for n, system in enumerate((canary.as_uri(), f"http://127.0.0.1:{port}/dtd")):
        path = tmp_path / f"xxe{n}.nxml"
        path.write_bytes(
            b'<?xml version="1.0"?>\n<!DOCTYPE book-part-wrapper [\n <!ENTITY xxe SYSTEM "'
            + system.encode()
            + b'">\n]>\n<book-part-wrapper id="Xxe"><book-part><book-part-meta><title-group>'
            b"<title>&xxe;</title></title-group></book-part-meta></book-part></book-part-wrapper>\n"
        )
        refused(capsys, store_dir, existing, path, ":line 3", "entity declaration 'xxe' refused")
    parameter = tmp_path / "xxe-dtd.nxml"
    parameter.write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE book-part-wrapper SYSTEM "http://127.0.0.1:'
        + str(port).encode()
        + b'/ext.dtd">\n<book-part-wrapper id="Xxe"><book-part><book-part-meta><title-group>'
        b"<title>External DTD</title></title-group></book-part-meta></book-part></book-part-wrapper>\n"
    )
    code, out, err = build(capsys, str(parameter))  # an external DTD is never fetched: the chapter loads
    assert code == 0, err
    assert seen == []
    assert "CANARY" not in out + err


# --- size ---------------------------------------------------------------------------------------------


def test_200_mb_file_is_refused_unread(
    tmp_path: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.nxml"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    refused(capsys, store_dir, existing, path, "", "a chapter is at most")


@pytest.mark.slow
def test_chapter_with_10000_references_loads(
    tmp_path: Path, corpus: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = chapter_bytes(corpus, "nxml/aldesleukin.nxml").decode()
    start = data.index('<ref id="Aldesleukin.R4">')
    end = data.index("</ref>", start) + len("</ref>")
    template = data[start:end]
    refs = "\n".join(
        template.replace("Aldesleukin.R4", f"Aldesleukin.X{i}").replace(">2585024<", f">{30000000 + i}<")
        for i in range(10_000)
    )
    path = tmp_path / "many-refs.nxml"
    path.write_text(data[:end] + refs + data[end:])
    code, _, err = build(capsys, str(path))
    assert code == 0, err
    assert main(["query", "chapter-references", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) - 1 == 21 + 10_000  # the chapter's own 21 PMIDs, plus the new ones


# --- archives -----------------------------------------------------------------------------------------


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _member(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


@pytest.mark.slow
def test_archive_with_bad_members(
    tmp_path: Path, corpus: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    link = tarfile.TarInfo("livertox/Link.nxml")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    archive = _tar(
        tmp_path / "livertox_NBK547852.tar.gz",
        [
            _member("livertox/Aspirin.nxml", chapter_bytes(corpus, "nxml/aspirin.nxml")),
            _member("livertox/Corrupt.nxml", b"<book-part-wrapper id='C'><book-part>\x00\x01 garbage"),
            _member("../escape/Evil.nxml", chapter_bytes(corpus, "nxml/halothane.nxml")),
            (link, None),
            _member("livertox/Metformin.nxml", chapter_bytes(corpus, "nxml/metformin.nxml")),
        ],
    )
    code, _, err = build(capsys, str(archive))
    assert code == 2
    assert "!livertox/Corrupt.nxml:line 1: not well-formed XML" in error_line(err, "Corrupt.nxml")
    assert "leaves the archive" in error_line(err, "Evil.nxml")
    assert "link or special file" in error_line(err, "Link.nxml")
    assert dump(store_dir) == existing

    code, out, err = build(capsys, "--keep-going", str(archive))
    assert code == 1
    assert "loaded 2 chapter(s)" in out
    for name in ("Corrupt.nxml", "Evil.nxml", "Link.nxml"):
        assert name in out
    assert main(["query", "likelihood", "--format", "csv"]) == 0
    chapters = {line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]}
    assert chapters == {"Aspirin", "Codeine", "Metformin"}


def test_truncated_archive(
    tmp_path: Path, corpus: Path, store_dir: Path, existing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _tar(
        tmp_path / "whole.tar.gz", [_member("livertox/Aspirin.nxml", chapter_bytes(corpus, "nxml/aspirin.nxml"))]
    )
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    refused(capsys, store_dir, existing, cut, "", "corrupt or unreadable archive")


def test_gzip_bomb(
    tmp_path: Path,
    store_dir: Path,
    existing: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The mechanism, at a scale a test can afford: a 64 MB member of zeros compresses to ~60 KB;
    # with the expansion cap at 16 MB the archive is abandoned after 16 MB.
    monkeypatch.setattr(sources, "MAX_ARCHIVE_EXPANDED_BYTES", 16 * 1024 * 1024)
    info = tarfile.TarInfo("livertox/Bomb.nxml")
    info.size = 64 * 1024 * 1024

    class Zeros(io.RawIOBase):
        left = info.size

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
            n = min(len(buffer), self.left)
            buffer[:n] = bytes(n)
            self.left -= n
            return n

    archive = tmp_path / "bomb.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        tar.addfile(info, io.BufferedReader(Zeros()))
    assert archive.stat().st_size < 1024 * 1024
    code, _, err = build(capsys, str(archive))
    assert code == 2
    assert f"error: {archive}: archive expands past 16,777,216 bytes" in err
    assert f"error: {archive}!livertox/Bomb.nxml: archive member is 67,108,864 bytes" in err
    assert dump(store_dir) == existing


def test_oversized_archive_member(
    tmp_path: Path,
    corpus: Path,
    store_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "MAX_CHAPTER_BYTES", 100_000)
    archive = _tar(
        tmp_path / "big.tar.gz",
        [
            _member("livertox/Codeine.nxml", chapter_bytes(corpus)),
            _member("livertox/Big.nxml", chapter_bytes(corpus, "nxml/isoniazid.nxml")),
        ],
    )
    code, out, _ = build(capsys, "--keep-going", str(archive))
    assert code == 1
    assert "Big.nxml: archive member is 336,040 bytes; a chapter is at most 100,000: not read" in out


# --- folders ------------------------------------------------------------------------------------------


def test_keep_going_folder_loads_every_good_file_and_lists_every_bad_one(
    tmp_path: Path, corpus: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = ["aspirin.nxml", "codeine.nxml", "halothane.nxml"]
    for name in good:
        (folder / name).write_bytes(chapter_bytes(corpus, f"nxml/{name}"))
    (folder / "notes.txt").write_bytes(b"shopping list\nmilk\n")
    (folder / "empty.nxml").write_bytes(b"")
    (folder / "lolz.nxml").write_bytes(BILLION_LAUGHS)
    (folder / "half.nxml").write_bytes(chapter_bytes(corpus, "nxml/metformin.nxml")[:5000])
    code, out, _ = build(capsys, "--keep-going", str(folder))
    assert code == 1
    assert "loaded 3 chapter(s)" in out
    listed = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert len(listed) == 4
    for name in ("notes.txt", "empty.nxml", "lolz.nxml", "half.nxml"):
        assert sum(name in line for line in listed) == 1
