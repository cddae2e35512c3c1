"""File -> bytes -> text: safe reading, encodings and HTML.

Decoding order: a byte-order mark wins; then UTF-16 without a BOM when every other byte is NUL
(ASCII in UTF-16 is also valid UTF-8, full of NULs); then strict UTF-8 (most of what
arrives); then UTF-8 with a few broken bytes replaced, when the rest is clearly UTF-8 (a
truncated or spliced scrape: the names in it are still found); then charset-normalizer,
limited to the legacy encodings news scrapers actually produce, so short Cyrillic texts are
not guessed as some exotic code page.
"""

from __future__ import annotations

import codecs
import errno
import logging
import os
import re
import stat
from collections.abc import Iterator

from .errors import ExtractError

log = logging.getLogger(__name__)

TEMP_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", ".download", ".swp", ".swx", "~")


# Editors' and tools' scratch files with no telling suffix: sed -i's sedXXXXXX, vim's 4913
# (its test of the folder), emacs' #autosave#.
_SCRATCH = re.compile(r"sed[A-Za-z0-9]{6}|4913|#.*#")


def ignored(path: str | os.PathLike) -> bool:
    """Temporary and hidden files are ignored until renamed to their final name."""
    name = os.path.basename(path)
    return not name or name.startswith(".") or name.lower().endswith(TEMP_SUFFIXES) or \
        _SCRATCH.fullmatch(name) is not None

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY = ["cp1251", "koi8_r", "koi8_u", "cp1252", "iso8859_2", "cp1250", "mac_cyrillic"]
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP archive (or .docx/.odt)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "a gzip archive",
}
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.I)
# Not "head": html.parser leaves a body after an unclosed <head> (</head> is optional) inside
# it, and the head's only text is its <title>, a headline to screen too.
_DROP_TAGS = ("script", "style", "noscript", "template", "svg")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "header", "footer", "blockquote", "pre", "title", "dd",
               "dt", "figcaption", "aside", "nav", "main", "ul", "ol", "table", "hr")


def read_file(path: str, max_size: int) -> tuple[bytes, os.stat_result]:
    """Read a regular file without following a symlink and without blocking on a FIFO.

    Anything but a regular file is refused before it is opened (opening a device can have
    effects: a tape rewinds, a terminal becomes ours); the fstat after the open catches a
    swap between the lstat and the open."""
    st = os.lstat(path)  # FileNotFoundError: the caller's "vanished"
    if stat.S_ISLNK(st.st_mode):
        raise ExtractError(f"a symbolic link (to {_link_target(path)}): not followed")
    if not stat.S_ISREG(st.st_mode):
        raise ExtractError(f"not a regular file ({_kind(st.st_mode)}): not opened")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ExtractError("a symbolic link: not followed") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise ExtractError("permission denied") from None
        if exc.errno == errno.ENXIO:
            raise ExtractError("not a regular file (socket or FIFO)") from None
        raise
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ExtractError(f"not a regular file ({_kind(st.st_mode)})")
        if st.st_size > max_size:
            raise ExtractError(f"too large: {st.st_size} bytes > max_file_size {max_size}")
        data = f.read(max_size + 1)
    if len(data) > max_size:
        raise ExtractError(f"too large: over max_file_size {max_size} bytes")
    return data, st


def _link_target(path: str) -> str:
    """Where a symlink points, for a log line: undecodable bytes and newlines escaped."""
    try:
        target = os.fsencode(os.readlink(path)).decode("utf-8", "backslashreplace")
    except OSError:
        return "?"
    return target.replace("\n", "\\n").replace("\r", "\\r")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISDIR, "directory"), (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding). Raise ExtractError for binary data."""
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise ExtractError("binary file (control characters), not text")
    return text, encoding


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 20)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding), encoding
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ExtractError(f"binary file ({kind}), not text")
    utf16 = _utf16_without_bom(data)  # before UTF-8: ASCII in UTF-16 is valid UTF-8 too
    if utf16:
        return _strict(data, utf16), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly:
        return mostly
    if b"\x00" in data:
        raise ExtractError("binary file (contains NUL bytes), not text")
    import charset_normalizer  # on first use: most drops are UTF-8

    results = charset_normalizer.from_bytes(data, cp_isolation=_LEGACY)
    best = results.best()
    if best is None:
        raise ExtractError("cannot detect the text encoding (binary file?)")
    # The detector weighs bytes; short or mostly-ASCII text ties between code pages, which it
    # breaks by list order: Газпром in an English sentence read Ăŕçďđîě (cp1250), Wałęsa read
    # Wa³êsa (cp1252). Among its near-best guesses, the one whose words look most like words;
    # on a tie, cp1252 (Peña, São: Western European text is the likelier).
    near = [m.encoding for m in results if m.chaos <= best.chaos + NEAR_CHAOS]
    guesses = [e for e in dict.fromkeys(["cp1252", *near, *best.could_be_from_charset])
               if e in near or e in best.could_be_from_charset]
    sample = data[:SAMPLE_BYTES]
    encoding = min(guesses, key=lambda e: _oddness(sample.decode(e, "replace")))
    return (str(best) if encoding == best.encoding else data.decode(encoding, "replace")), encoding


NEAR_CHAOS = 0.05
SAMPLE_BYTES = 1 << 16
_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_ODD = re.compile(
    rf"(?<=[^\W\d_])[^\w\s\x00-\x7f]|[^\w\s\x00-\x7f](?=[^\W\d_])"  # Wa³êsa, £odzi
    rf"|\b[{_ACCENTED}]{{3,}}\b"  # Ăŕçďđîě: a Latin word with no plain letter
    r"|[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")  # pшнmo: two scripts in a word


def _oddness(text: str) -> int:
    """How many places of a decoded text look like the wrong code page."""
    return sum(1 for _ in _ODD.finditer(text))


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ExtractError(f"invalid {encoding} at byte {exc.start}") from None


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few invalid bytes: decoded with U+FFFD for them, the encoding saying how
    many. Only when valid multi-byte characters outnumber the broken ones two to one; a
    Latin-1 or cp1251 text has next to no valid UTF-8 sequences (a capital before ё or і in
    cp1251, one in ten of its broken ones) and goes to detection."""
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for c in text if c > "\x7f") - broken
    if broken and multibyte >= 2 * broken:
        return text, f"utf-8 ({broken} invalid byte sequence{'s' * (broken != 1)} replaced)"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def is_html(name: str, data: bytes) -> bool:
    return name.lower().endswith(HTML_SUFFIXES) or bool(_HTML_SNIFF.match(data[:512]))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page: scripts and styles dropped, blocks on their own lines."""
    from bs4 import BeautifulSoup  # imported on first use: most drops are plain text

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_after("\n")
    text = soup.get_text()
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip()


def extract(name: str, data: bytes) -> tuple[str, str]:
    """A document's bytes -> (text, encoding); HTML is reduced to its visible text."""
    text, encoding = decode(data)
    if is_html(name, data if encoding == "utf-8" else text[:512].encode()):
        text = html_to_text(text)
    return text, encoding


def walk_files(top: str) -> Iterator[tuple[str, os.stat_result]]:
    """Regular files and other non-directories below `top`, with their lstat; no links
    followed. Unreadable folders are logged and skipped, never fatal."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except FileNotFoundError:  # deleted since it was seen: nothing left to read
            log.debug("cannot list %s: gone", folder)
            continue
        except OSError as exc:
            log.warning("cannot list %s: %s", folder, exc.strerror or exc)
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    yield entry.path, entry.stat(follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat
