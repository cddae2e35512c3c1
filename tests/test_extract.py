"""Bytes -> text: encodings, BOMs, HTML, binary refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
