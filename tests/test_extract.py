"""Bytes -> text: encodings, BOMs, HTML, PDF, Word documents, binary refusal."""

from __future__ import annotations

import hashlib
import io
import logging
import subprocess
import sys
import textwrap
import time
import zipfile
from types import SimpleNamespace

import pytest
from conftest import WATCHLIST
from documents import broken_xref, image_pdf, make_docx, make_pdf, raw_pdf, save_docx
from hypothesis import given
from hypothesis import strategies as st

from watcher import extract as extract_module
from watcher.errors import ExtractError
from watcher.extract import decode, extract, html_to_text

RUSSIAN = ("Министр иностранных дел Сергей Лавров заявил журналистам в Москве, "
           "что переговоры продолжатся.")
UKRAINIAN = "Президент Володимир Зеленський провів зустріч у Києві з іноземними партнерами."


@pytest.mark.parametrize("text, encoding, expected", [
    ("Kyiv, Zelenskyy’s office", "utf-8", "utf-8"),
    ("\ufeffKyiv, Київ", "utf-8", "utf-8"),
    ("\ufeffKyiv, Київ", "utf-16-le", "utf-16-le"),
    ("\ufeffKyiv, Київ", "utf-16-be", "utf-16-be"),
    (RUSSIAN, "cp1251", "cp1251"),
    (RUSSIAN, "koi8_r", "koi8_r"),
    (UKRAINIAN, "cp1251", "cp1251"),
    ("Enrique Peña Nieto viajó a São Paulo con el señor de España.", "latin-1", "cp1252"),
    ("Le président a déclaré à Paris que la réunion était très importante.", "latin-1",
     "cp1252"),
    ("Zażółć gęślą jaźń. Łódź i Kraków są pięknymi miastami w Polsce.", "cp1250", "cp1250"),
    # short or mostly-ASCII text, where the detector ties between code pages
    ("Interfax reports that Газпром will pay dividends.", "cp1251", "cp1251"),
    ("Rosneft in cp1251: Роснефть и Газпром", "cp1251", "cp1251"),
    ("Wałęsa spotkał się z Kowalskim w Łodzi.", "cp1250", "cp1250"),
    ("Přímo v Praze řekl prezident Zeman, že Šťastný není.", "cp1250", "cp1250"),
    ("Der Außenminister traf Müller in Köln. Ça va, garçon.", "cp1252", "cp1252"),
    ("El niño comió piña en Bogotá.", "cp1252", "cp1252"),
    ("Владимир Путин встретился с Лукашенко.", "koi8_r", "koi8_r"),
])
def test_decodes_the_encodings_that_arrive(text, encoding, expected):
    decoded, found = decode(text.encode(encoding))
    assert decoded == text.lstrip("\ufeff")
    assert found.replace("-", "_") == expected.replace("-", "_")


@pytest.mark.parametrize("data", [b"Zelensky\xff\xfe in Kyiv and \xd0\x9b\xd0\xb0\xd0\xb2"
                                  b"\xd1\x80\xd0\xbe\xd0\xb2", "Київ і Львів".encode() + b"\xff"])
def test_short_utf8_with_a_few_broken_bytes_stays_utf8(data):
    """Two bad bytes in a short UTF-8 text: decoded as cp1252 it lost every Cyrillic word
    and the name glued to them, silently. Valid multi-byte characters two to one say it is
    UTF-8, read with replacements, the encoding saying how many."""
    text, encoding = decode(data)
    assert text == data.decode("utf-8", "replace")
    assert encoding.startswith("utf-8 (") and "replaced" in encoding


def test_utf16_without_bom_is_detected():
    text = "Kyiv and Lviv, " * 20
    assert decode(text.encode("utf-16-le"))[0] == text
    assert decode(text.encode("utf-16-be"))[0] == text


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"\x89PNG\r\n\x1a\n....",
                                  b"\x00\x01\x02binary\x00", bytes(range(256)) * 4])
def test_binary_data_is_refused(data):
    with pytest.raises(ExtractError, match="binary|encoding"):
        decode(data)


def test_html_keeps_visible_text_only():
    page = ("<html><head><title>T</title><style>.x{}</style></head><body>"
            "<script>var kyiv = 1;</script><p>Zelensky met</p><p>Lavrov&nbsp;today</p>"
            "<div>Kyiv<br>Lviv</div></body></html>")
    text = html_to_text(page)
    assert "kyiv = 1" not in text and ".x{}" not in text
    assert "Zelensky met\n" in text and "Lavrov\xa0today" in text
    assert "Kyiv\nLviv" in text


@pytest.mark.parametrize("page", [
    '<html><head><meta charset="utf-8"><title>Lavrov warns</title>\n<body><p>Putin visited '
    'Mariupol.</p></body></html>',
    "<html><head><title>Lavrov warns</title>\n<div>Putin visited Mariupol.</div></html>",
    "<html><head><title>Lavrov warns</title></head><body>Putin visited Mariupol.</body></html>"])
def test_html_without_a_closed_head_keeps_its_body_and_title(page):
    """</head> is optional: a parser that leaves the body inside an unclosed head must not
    lose it with the head; the title is a headline, screened too."""
    text = html_to_text(page)
    assert "Putin visited Mariupol." in text and "Lavrov warns" in text, text


def test_extract_sniffs_html_without_suffix():
    text, _ = extract("drop.txt", b"<!DOCTYPE html><html><body><p>Kyiv</p></body></html>")
    assert text == "Kyiv"


@given(st.text(min_size=1).filter(lambda s: "\x00" not in s and s.isprintable()))
def test_any_printable_utf8_text_round_trips(text):
    assert decode(text.encode("utf-8")) == (text, "utf-8")


@pytest.mark.parametrize(("name", "skipped"), [
    ("a.txt.part", True), (".hidden.txt", True), ("story.txt~", True), ("sedZ5Sf4l", True),
    ("4913", True), ("#story.txt#", True), ("story.txt", False), ("sediment.txt", False),
    ("sedation", False), ("49130.txt", False), ("report#1.txt", False)])
def test_scratch_files_of_editors_and_tools_are_ignored(name, skipped):
    """sed -i writes sedXXXXXX beside the file, vim tests a folder with 4913, emacs saves
    #file#: each was read, or recorded as vanished, as a document."""
    from watcher.extract import ignored

    assert ignored(f"/inbox/{name}") is skipped


# -- PDF and Word documents ------------------------------------------------------------------

ENTITIES = [*WATCHLIST["entities"], {"id": "russia", "name": "Russia", "type": "place"}]


@pytest.fixture(scope="module")
def matcher():
    from watcher.config import EntitySpec
    from watcher.matcher import Matcher

    return Matcher.compile([EntitySpec.model_validate(e).to_entity() for e in ENTITIES])


def found(matcher, text: str) -> dict[str, list[str]]:
    """entity id -> the words of its hits, as the matcher reads `text`."""
    out: dict[str, list[str]] = {}
    for hit in matcher.match(text):
        out.setdefault(hit.entity_id, []).append(hit.text)
    return out


def test_a_text_pdf_is_read_page_after_page(matcher):
    data = make_pdf(["Officials in Kijów met", "Vladimir Putin's envoy on Monday in Kyiv"],
                    ["Gazprom said the talks went on."])
    text, encoding = extract("report.pdf", data)
    assert encoding == "pdf"
    assert text == ("Officials in Kijów met\nVladimir Putin's envoy on Monday in Kyiv\n\n"
                    "Gazprom said the talks went on.")
    # the last word of a page and the first of the next stay two words
    assert found(matcher, text) == {"kyiv": ["Kijów", "Kyiv"], "putin": ["Vladimir Putin's"],
                                    "gazprom": ["Gazprom"]}


@pytest.mark.parametrize(("lines", "entity", "words", "reads"), [
    (["President Zelen-", "sky arrived."], "zelensky", "Zelensky", "President Zelensky arrived"),
    (["the Russia-", "backed forces"], "russia", "Russia", "the Russia-backed forces"),
    (["a Kyiv-", "based analyst"], "kyiv", "Kyiv", "a Kyiv-based analyst"),
    (["a Gazprom-", "run pipeline"], "gazprom", "Gazprom", "a Gazprom-run pipeline"),
    (["an anti-", "Putin rally"], "putin", "Putin", "an anti-Putin rally"),
])
def test_a_hyphen_at_a_line_end_joins_a_broken_word_but_keeps_a_compound(
        matcher, lines, entity, words, reads):
    """A typesetter's broken word is one word again; a compound's hyphen that fell at a line
    end stays a hyphen, so the name before it is found as in "Russia-backed" anywhere (the
    matcher itself joins every "X-\\nY": Russiabacked)."""
    text, _ = extract("a.pdf", make_pdf(lines))
    assert reads in text
    assert found(matcher, text) == {entity: [words]}


@pytest.mark.parametrize("aes", [False, True], ids=["rc4", "aes128"])
def test_a_pdf_protected_without_a_user_password_is_read(aes):
    """Restricted printing or copying: encrypted, opened with the empty password."""
    data = make_pdf(["Gazprom cut supplies."], password="", aes=aes)
    assert b"/Encrypt" in data
    assert extract("locked.pdf", data) == ("Gazprom cut supplies.", "pdf")


@pytest.mark.parametrize(("make", "words"), [
    (lambda: make_pdf(["Gazprom cut supplies."], password="s3cret"),
     "an encrypted PDF: it needs a password to open, not screened"),
    (image_pdf, "a scanned PDF with no text layer: OCR is not supported"),
    (lambda: make_pdf(["Vladimir Putin in Kyiv."] * 3)[:700],
     "a damaged or truncated PDF (PdfStreamError: "),
], ids=["password", "scanned", "truncated"])
def test_a_pdf_without_readable_text_is_refused_in_one_line(make, words):
    with pytest.raises(ExtractError) as err:
        extract("x.pdf", make())
    assert str(err.value).startswith(words)
    assert "\n" not in str(err.value)


def test_a_malformed_pdf_is_read_and_pypdf_logs_nothing():
    """pypdf logs a warning for each object it repairs; those never reach the handlers of the
    root logger, where the daemon's log is. What it said first goes into the encoding, which
    pipeline logs once. (Not caplog: pytest hooks it to non-propagating loggers too.)"""
    root, seen = logging.getLogger(), []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = seen.append
    level, root.level = root.level, logging.DEBUG
    root.addHandler(handler)
    try:
        text, encoding = extract("x.pdf", broken_xref(make_pdf(["Vladimir Putin in Kyiv."])))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert text == "Vladimir Putin in Kyiv."
    assert encoding.startswith("pdf (malformed, read anyway: ") and "startxref" in encoding
    assert [r.getMessage() for r in seen if r.name.startswith("pypdf")] == []


def test_pypdf_and_python_docx_are_imported_on_first_use_only():
    """Most drops are plain text: a daemon or a scan that reads none imports neither."""
    code = textwrap.dedent(f"""
        import sys
        import watcher.cli, watcher.service
        from watcher.extract import extract
        extract("a.txt", b"Kyiv")
        assert not {{"pypdf", "docx"}} & set(sys.modules), "imported before use"
        assert extract("a.pdf", {make_pdf(["Kyiv"])!r}) == ("Kyiv", "pdf")
        assert extract("a.docx", {make_docx("Kyiv")!r}) == ("Kyiv", "docx")
        assert {{"pypdf", "docx"}} <= set(sys.modules)
        """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_pdf_is_told_by_its_content_and_a_text_quoting_its_header_is_not():
    assert extract("report.txt", make_pdf(["Kyiv"])) == ("Kyiv", "pdf")
    junk = extract("x.pdf", b"junk before it\n" + make_pdf(["Kyiv"]))
    assert junk[0] == "Kyiv" and junk[1].startswith("pdf (malformed, read anyway: ")
    quoting = b"Files start with %PDF-1.7; Kyiv.\n"
    assert extract("notes.txt", quoting) == (quoting.decode(), "utf-8")


def test_control_characters_in_a_pdf_text_become_spaces(matcher):
    """A NUL (an unmapped glyph) would make PostgreSQL refuse the hit's context; an ESC
    would reach a terminal; between two names, either glued them into one word."""
    text, _ = extract("x.pdf", raw_pdf(b"BT /F1 12 Tf 72 700 Td (Kyiv\\000Gazprom\\033[2J) Tj ET"))
    assert text == "Kyiv Gazprom [2J"
    assert set(found(matcher, text)) == {"kyiv", "gazprom"}


def test_a_pdf_bomb_is_refused_by_pypdf_limits():
    """80 MB of content in an 80 KB stream: over pypdf's decompression limit."""
    data = raw_pdf(b"BT /F1 12 Tf 72 700 Td (" + b"A" * 80_000_000 + b") Tj ET")
    assert len(data) < 100_000
    with pytest.raises(ExtractError, match=r"over pypdf's safety limits .*decompression bomb"):
        extract("bomb.pdf", data)


def test_pages_that_all_draw_one_big_text_stop_at_the_text_limit(monkeypatch):
    """Each stream is within pypdf's limits, but 10,000 pages draw the same one: the text
    would be 10 GB (MAX_TEXT lowered here to keep the test fast)."""
    monkeypatch.setattr(extract_module, "MAX_TEXT", 3_000_000)
    data = raw_pdf(b"BT /F1 12 Tf 72 700 Td (" + b"Kyiv " * 200_000 + b") Tj ET", 10_000)
    started = time.monotonic()
    with pytest.raises(ExtractError, match="holds over 3000000 characters of text: refused"):
        extract("bomb.pdf", data)
    assert time.monotonic() - started < 30


def test_a_pdf_that_takes_too_long_to_read_is_stopped(monkeypatch):
    """Pages that each parse and run 100,000 operators, a thousand times over: stopped at
    the time limit (lowered here from a minute), in the middle of a page too."""
    monkeypatch.setattr(extract_module, "READ_TIME", 1.0)
    data = raw_pdf(b"BT /F1 12 Tf " + b"(Kyiv) Tj " * 100_000 + b"ET", 1000)
    started = time.monotonic()
    with pytest.raises(ExtractError, match=r"the PDF took over \d+ s to read: stopped"):
        extract("slow.pdf", data)
    assert time.monotonic() - started < 30


def test_a_pdf_grown_by_an_incremental_update_alerts_only_what_it_added():
    """An editor saving a PDF appends to it: the text of the old bytes is a prefix of the
    new text, whose mentions were alerted before. A prefix that is no PDF is no error."""
    from pypdf import PdfReader, PdfWriter

    from watcher.pipeline import _grown_from

    old = make_pdf(["Vladimir Putin spoke in Kyiv."])
    writer = PdfWriter(io.BytesIO(old), incremental=True)
    writer.add_page(PdfReader(io.BytesIO(make_pdf(["Later Gazprom answered."]))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    new = out.getvalue()
    assert new.startswith(old)
    text, _ = extract("a.pdf", new)
    seen = SimpleNamespace(status="processed", size=len(old),
                           sha256=hashlib.sha256(old).hexdigest())
    assert text[_grown_from("a.pdf", seen, new, text):] == "\n\nLater Gazprom answered."
    # the same bytes, had the first version been cut there (an unfinished write): no PDF
    cut = new[:len(new) // 2]
    seen = SimpleNamespace(status="processed", size=len(cut),
                           sha256=hashlib.sha256(cut).hexdigest())
    assert _grown_from("a.pdf", seen, new, text) == 0


def test_a_word_document_gives_paragraphs_and_table_cells_in_order_one_a_line(matcher):
    data = make_docx("Президент Зеленський провів зустріч у Києві.",
                     table=[["Gazprom", "Vladimir Putin"], ["row two", ""]],
                     after=("After the table.",))
    text, encoding = extract("brief.docx", data)
    assert encoding == "docx"
    assert text.splitlines() == ["Президент Зеленський провів зустріч у Києві.", "Gazprom",
                                 "Vladimir Putin", "row two", "", "After the table."]
    assert set(found(matcher, text)) == {"zelensky", "kyiv", "gazprom", "putin"}


def test_a_word_document_keeps_nested_tables_inserted_text_and_text_boxes_once():
    """Text python-docx's Paragraph.text skips (a tracked insertion) is read; deleted text
    is not; a merged cell is one cell; a text box, stored twice (DrawingML and its VML
    fallback), is read once."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    grid = document.add_table(rows=1, cols=3)
    grid.cell(0, 0).text = "Kyiv"
    grid.cell(0, 1).merge(grid.cell(0, 2)).text = "merged once"
    grid.cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).text = "nested Gazprom"
    p = document.add_paragraph("Talks with ")
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>Vladimir Putin</w:t>'
                          f'</w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText> and Gazprom'
                          f'</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(TEXT_BOX.format(W=W, text="Boxed Zelensky")))
    text, _ = extract("x.docx", save_docx(document))
    assert text.splitlines() == ["Kyiv", "nested Gazprom", "", "merged once",
                                 "Talks with Vladimir Putin", "Boxed Zelensky"]


W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
     'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
     'xmlns:v="urn:schemas-microsoft-com:vml"')
# a run holding a text box as Word writes it: DrawingML, and a VML copy for older readers
TEXT_BOX = ('<w:r {W}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp>'
            '<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
            '</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
            '<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            '</mc:AlternateContent></w:r>')


def test_a_word_document_is_told_by_its_content():
    data = make_docx("Gazprom")
    assert extract("upload.bin", data) == ("Gazprom", "docx")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(("members", "kind"), [
    ({"notes.txt": b"Kyiv"}, "a ZIP archive"),
    ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"},
     "an Excel workbook (.xlsx)"),
    ({"ppt/presentation.xml": b"<p/>"}, "a PowerPoint presentation (.pptx)"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
     "an OpenDocument file (.odt, .ods, .odp)"),
])
def test_other_zip_files_are_refused_naming_what_they_are(members, kind):
    with pytest.raises(ExtractError) as err:
        extract("upload.zip", _zip(members))
    assert str(err.value) == f"{kind}: not screened (text, HTML, PDF and .docx are)"


def test_an_old_word_file_is_refused_naming_what_it_is():
    ole2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 1024
    with pytest.raises(ExtractError, match=r"a Word 97-2003 \.doc, .*password-protected"):
        extract("old.doc", ole2)


@pytest.mark.parametrize(("damage", "words"), [
    (lambda d: d[:len(d) // 2], "a damaged or truncated .docx or ZIP file (BadZipFile: "),
    (lambda d: _zip({**_members(d), "word/document.xml": b"<w:document><w:body><w:p>"}),
     "a damaged Word document (XMLSyntaxError: "),
], ids=["truncated", "bad-xml"])
def test_a_damaged_word_document_is_refused_in_one_line(damage, words):
    with pytest.raises(ExtractError) as err:
        extract("x.docx", damage(make_docx("Vladimir Putin in Kyiv.")))
    assert str(err.value).startswith(words) and "\n" not in str(err.value)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_a_parser_error_quoting_the_file_is_one_printable_line():
    """What pypdf or python-docx raise may quote the file: its message goes into a log line
    and the files table (PostgreSQL refuses a NUL, an ESC drives the terminal of a tail -f)."""
    from watcher.extract import _one_line

    error = ValueError("bad name /K\x00yiv\x1b]0;pwned\x07 at\nbyte 12 " + "x" * 300)
    line = _one_line(error)
    assert line.startswith("ValueError: bad name /K\ufffdyiv\ufffd]0;pwned\ufffd at byte 12 x")
    assert line.isprintable() and len(line) == len("ValueError: ") + 200


def test_a_word_document_that_unpacks_to_too_much_is_refused(monkeypatch):
    """A zip bomb: the sizes in the ZIP's directory are summed before anything is unpacked
    (and zipfile never unpacks more than they say). MAX_UNPACKED lowered from 256 MB."""
    monkeypatch.setattr(extract_module, "MAX_UNPACKED", 1_000_000)
    data = make_docx("Kyiv " * 300_000)
    assert len(data) < 100_000
    with pytest.raises(ExtractError, match=r"unpacks to \d+ bytes, over 1000000: refused"):
        extract("bomb.docx", data)
