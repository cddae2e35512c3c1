"""Real PDF and Word documents for the tests, made as their producers make them: PDFs with
fpdf2 (its core fonts cover Latin with Western accents: Kijów, not Wałęsa), .docx files with
python-docx (any script), and a few PDFs written by hand where only raw bytes can say it."""

from __future__ import annotations

import io
import re
import zlib


def make_pdf(*pages: list[str], password: str | None = None, aes: bool = False) -> bytes:
    """A PDF of one page per argument, each a list of lines. `password`: encrypted with it as
    the user password ("" opens without one, as most "protected" PDFs do); RC4, or AES-128."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    if password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=password,
                           encryption_method=EncryptionMethod.AES_128 if aes
                           else EncryptionMethod.RC4)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def image_pdf(pages: int = 2) -> bytes:
    """A scan: pages holding an image each and no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    scan = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(scan).text((10, 50), "Vladimir Putin in Kyiv", fill="black")
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(scan, x=10, y=10, w=180)
    return bytes(pdf.output())


def broken_xref(pdf: bytes) -> bytes:
    """The PDF with a wrong startxref offset: readers rebuild the table (pypdf logs
    several warnings while it does) and read it all."""
    return re.sub(rb"startxref\s+\d+", b"startxref\n17", pdf)


def raw_pdf(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose `pages` pages all draw the one Flate-compressed content stream `content`
    (a crafted file: a few KB that take gigabytes, or hours, to read naively)."""
    stream = zlib.compress(content, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
               % (len(stream), stream)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def make_docx(*paragraphs: str, table: list[list[str]] | None = None,
              after: tuple[str, ...] = ()) -> bytes:
    """A Word document: `paragraphs`, then a table of `table`'s rows (if any), then `after`."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    for text in after:
        document.add_paragraph(text)
    return save_docx(document)


def save_docx(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
