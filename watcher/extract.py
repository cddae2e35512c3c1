"""File -> bytes -> text: safe reading, encodings, HTML, PDF and Word (.docx) documents.

Decoding order: a byte-order mark wins; then UTF-16 without a BOM when every other byte is NUL
(ASCII in UTF-16 is also valid UTF-8, full of NULs); then strict UTF-8 (most of what
arrives); then UTF-8 with a few broken bytes replaced, when the rest is clearly UTF-8 (a
truncated or spliced scrape: the names in it are still found); then charset-normalizer,
limited to the legacy encodings news scrapers actually produce, so short Cyrillic texts are
not guessed as some exotic code page.

PDF and .docx are told by their content (%PDF; a ZIP holding word/document.xml), whatever
their name, and read with pypdf and python-docx, imported on first use like BeautifulSoup.
Both are bounded (READ_TIME, MAX_TEXT, MAX_UNPACKED): a crafted file ends in an ExtractError,
never a stuck worker or an exhausted memory.
"""

from __future__ import annotations

import codecs
import errno
import io
import logging
import os
import re
import stat
import threading
import time
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
    b"PK\x03\x04": "a ZIP archive",
    # the OLE2 container: Word 97-2003 .doc, .xls, .ppt, and any password-protected .docx
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "a Word 97-2003 .doc, .xls or .ppt, or a password-"
                                          "protected Office file",
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


_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters but tab, line and page breaks


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    return len(_BINARY.findall(sample)) > max(8, len(sample) // 20)


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
    """A document's bytes -> (text, encoding); HTML is reduced to its visible text, a PDF or a
    Word document to the text it shows (encoding "pdf", "docx")."""
    if is_pdf(name, data):
        text, problem = pdf_to_text(data)
        # a file pypdf had to repair: screened, and said once (pipeline logs it)
        return text, f"pdf (malformed, read anyway: {problem})" if problem else "pdf"
    if data.startswith(ZIP):
        return docx_to_text(data), "docx"
    text, encoding = decode(data)
    if is_html(name, data if encoding == "utf-8" else text[:512].encode()):
        text = html_to_text(text)
    return text, encoding


# -- PDF and Word documents ------------------------------------------------------------------

ZIP = b"PK\x03\x04"
# Bounds on reading one PDF or .docx, whatever it holds: pages that all draw one huge stream
# or a zip bomb end in an ExtractError. READ_TIME is a minute plus a second per 256 KB (the
# pace pipeline.MIN_RATE allows before the watchdog calls a worker stuck: stall_timeout, 2 min
# by default, must stay longer than this minute). MAX_TEXT (characters) is more text than any
# report holds; MAX_UNPACKED bounds the XML a .docx unpacks to, which lxml parses whole.
READ_TIME = 60.0
READ_RATE = 256 * 1024
MAX_TEXT = 1 << 26
MAX_UNPACKED = 1 << 28
_OTHER_ZIPS = (("xl/workbook.xml", "an Excel workbook (.xlsx)"),
               ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"))
_ODF = b"application/vnd.oasis.opendocument."
_REFUSED = "not screened (text, HTML, PDF and .docx are)"
# What pypdf may leave in a text (a NUL for an unmapped glyph): never stored (PostgreSQL
# refuses NUL) nor matched. Tabs, line and page breaks stay.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def is_pdf(name: str, data: bytes) -> bool:
    """%PDF first; or, in a file named .pdf, in its first KB (readers allow junk before it).
    Not anywhere in any file: a text quoting "%PDF-1.7" stays a text."""
    return data.startswith(b"%PDF") or \
        (name.lower().endswith(".pdf") and b"%PDF-" in data[:1024])


class _Budget:
    """Time and text one document may take: ExtractError past either."""

    def __init__(self, kind: str, size: int):
        self.kind = kind
        self.limit = READ_TIME + size / READ_RATE
        self.deadline = time.monotonic() + self.limit
        self.chars = 0

    def check(self, *_) -> None:
        """(also pypdf's visitor before each operator: a page that takes long stops too)"""
        if time.monotonic() > self.deadline:
            raise ExtractError(f"{self.kind} took over {self.limit:.0f} s to read: stopped "
                               f"(a crafted file?)")

    def add(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > MAX_TEXT:
            raise ExtractError(f"{self.kind} holds over {MAX_TEXT} characters of text: "
                               f"refused (a decompression bomb?)")
        self.check()
        return text


def _one_line(exc: BaseException) -> str:
    """An exception of a parser, for a one-line error: its type, its message squeezed."""
    msg = _squeeze(str(exc))
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _squeeze(message: str) -> str:
    """A parser's message for a log line and the database: one line, at most 200 characters,
    no control character (a NUL PostgreSQL refuses, an ESC that drives a terminal) even if
    it quotes the file."""
    return _UNPRINTABLE.sub("\ufffd", " ".join(message.split()))[:200]


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f]")


class _Problems(logging.Handler):
    """pypdf's logger: what it says about a malformed file (a line for each of hundreds of
    objects) is never logged; the first message, per thread, names the damage in our line."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def start(self) -> None:
        self.local.first = None

    def first(self) -> str | None:
        return getattr(self.local, "first", None)

    def emit(self, record: logging.LogRecord) -> None:
        if self.first() is None:
            try:
                self.local.first = _squeeze(record.getMessage())
            except Exception:  # noqa: BLE001 - a malformed message is still a problem
                self.local.first = _squeeze(str(record.msg))


_pdf_problems = _Problems()


def _pypdf():
    import pypdf  # imported on first use: most drops are plain text

    logger = logging.getLogger("pypdf")
    if _pdf_problems not in logger.handlers:
        logger.addHandler(_pdf_problems)
        logger.propagate = False
    return pypdf


def pdf_to_text(data: bytes) -> tuple[str, str | None]:
    """A PDF's text, page after page, and the first problem pypdf met (None for a sound file).

    ExtractError for an encrypted PDF the empty password does not open, a scanned one (no
    text layer) and one pypdf cannot read, whatever it raised."""
    pypdf = _pypdf()
    budget = _Budget("the PDF", len(data))
    _pdf_problems.start()
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        _decrypt(reader)
        pages = [budget.add(page.extract_text(visitor_operand_before=budget.check))
                 for page in reader.pages]
    except ExtractError:
        raise
    except pypdf.errors.LimitReachedError as exc:
        raise ExtractError(f"a PDF over pypdf's safety limits ({_one_line(exc)}): refused "
                           f"(a decompression bomb?)") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file raises anything
        budget.check()  # (pypdf may have wrapped the budget's error in one of its own)
        raise ExtractError(f"a damaged or truncated PDF ({_one_line(exc)})") from None
    if not any(p.strip() for p in pages):
        raise ExtractError("a scanned PDF with no text layer: OCR is not supported"
                           if pages else "a PDF with no pages")
    # a blank line between pages: a page's last word never runs into the next page's first
    text = join_hyphenated(_CONTROLS.sub(" ", "\n\n".join(pages)))
    return text, _pdf_problems.first()


def _decrypt(reader) -> None:
    """Many "protected" PDFs (printing or copying restricted) open with the empty password."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # noqa: BLE001 - an unsupported security handler
        raise ExtractError(f"an encrypted PDF that cannot be opened ({_one_line(exc)})") from None
    if not opened:
        raise ExtractError("an encrypted PDF: it needs a password to open, not screened")


# A hyphen at a line end of a PDF's text: a word the typesetter broke ("Zelen-\nsky"), or the
# hyphen of a compound that fell there ("Russia-\nbacked", "pro-\nRussian"). Left as it is,
# the matcher joins the two halves (normalize._BREAK), which finds Zelensky but makes
# "Russiabacked" of the other. A capital or a frequent word after the hyphen is a compound:
# the hyphen stays, the line break goes ("Russia-backed": Russia is found, as in any text);
# else the halves are one word ("Zelensky"). A soft hyphen is always a broken word. (A name
# whose second half is a frequent word, Gaz-prom, is read as two words.)
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])([-\u2010\u00ad])[ \t]*\r?\n[ \t]*([^\W\d_]+)")
# frequent compound tails too short for common_words (which has no word under 4 letters)
_SHORT_TAILS = frozenset({"led", "run", "era", "born", "held", "made"})


def join_hyphenated(text: str) -> str:
    from .normalize import common_words, fold

    common = common_words()

    def join(m: re.Match) -> str:
        tail = m.group(2)
        compound = m.group(1) != "\u00ad" and (
            tail[0].isupper() or fold(tail) in common or tail.lower() in _SHORT_TAILS)
        return ("-" if compound else "") + tail

    return _LINE_END_HYPHEN.sub(join, text)


def docx_to_text(data: bytes) -> str:
    """A Word document's paragraphs in document order, one a line: body text, table cells
    (nested ones too), content controls, text boxes. ExtractError for any other ZIP (naming
    what it is) and a damaged document."""
    names = _zip_names(data)
    if "word/document.xml" not in names:
        raise ExtractError(f"{_zip_kind(data, names)}: {_REFUSED}")
    unpacked = sum(names.values())
    if unpacked > MAX_UNPACKED:
        raise ExtractError(f"a Word document that unpacks to {unpacked} bytes, over "
                           f"{MAX_UNPACKED}: refused (a zip bomb?)")
    # imported on first use: most drops are plain text
    from docx.oxml import parse_xml
    from docx.package import Package

    budget = _Budget("the Word document", len(data))
    try:
        part = Package.open(io.BytesIO(data)).main_document_part
        # a .docx's part is parsed already; a macro-enabled .docm's or a template's is not
        # (docx.Document() refuses them), though its text is read the same way
        root = part.element if hasattr(part, "element") else parse_xml(part.blob)
        body = root.body
        lines = [budget.add(_paragraph_text(p)) for p in body.iter(_W + "p")
                 if not _hidden(p)]
    except ExtractError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file raises anything
        raise ExtractError(f"a damaged Word document ({_one_line(exc)})") from None
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _hidden(p) -> bool:
    """The second copy of a text box's paragraph: its VML fallback, after the DrawingML one."""
    return any(a.tag == _MC_FALLBACK for a in p.iterancestors())


def _paragraph_text(p) -> str:
    """python-docx's run text (tabs, breaks) of every run of the paragraph: also those in
    hyperlinks, tracked insertions, fields and inline content controls, which Paragraph.text
    skips; not those of a text box anchored in it (a paragraph of its own)."""
    return "".join(r.text for r in p.iter(_W + "r") if _owner(r) is p)


def _owner(run):
    """The paragraph a run shows in; None for text a tracked change deleted or moved away."""
    for a in run.iterancestors():
        if a.tag == _W + "p":
            return a
        if a.tag in (_W + "del", _W + "moveFrom"):
            return None
    return None


def _zip_names(data: bytes) -> dict[str, int]:
    """Member -> unpacked size, from the ZIP's directory (nothing is unpacked)."""
    import zipfile  # (with bz2 and lzma: on first use too)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {i.filename: i.file_size for i in z.infolist()}
    except Exception as exc:  # noqa: BLE001 - a truncated ZIP has no directory
        raise ExtractError(f"a damaged or truncated .docx or ZIP file ({_one_line(exc)})") \
            from None


def _zip_kind(data: bytes, names: dict[str, int]) -> str:
    for member, kind in _OTHER_ZIPS:
        if member in names:
            return kind
    if "mimetype" in names and _ODF in data[:256]:  # stored first, uncompressed
        return "an OpenDocument file (.odt, .ods, .odp)"
    return "a ZIP archive"


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
