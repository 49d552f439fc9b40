"""Word documents in the official format of Decree 30/2020/NĐ-CP (domain-vn.md §8), with python-docx.

Every module that issues a document (the classification report, later the apology letters and Form 04) builds it
with these helpers, so the layout rules live in one place:

- A4 portrait, margins top and bottom 20 mm, left 30 mm, right 15 mm; a table may sit in a landscape section
  (`landscape_section`, `portrait_section`) with the same margins;
- Times New Roman (also for the East Asian and complex-script slots, so Vietnamese letters never fall back to
  another font), black;
- box 1 Quốc hiệu (12, bold, capitals) and Tiêu ngữ (13, bold, a line under it as long as the text); box 2 the
  issuing body (12, bold, capitals, a short line beneath); box 3 "Số: …/…" (13); box 4 place and date (13,
  italic; day 1–9 and months 1–2 with a leading zero: `official_date`) — `add_header_boxes`;
- box 5 the document type (14, bold, capitals) and its summary (14, bold) — `add_title`;
- the content, 14, justified, first line indented 1.27 cm — `add_paragraph`; tables — `add_table`;
- the signer's position (bold capitals), room for the signature, the signer's name, and "Nơi nhận:" —
  `add_signature`;
- page numbers centred in the top margin, not on page 1 — `add_page_numbers`.

The sizes other than those of the Quốc hiệu and Tiêu ngữ are those of the predecessor rules, which Decree 30 is
believed to keep (domain-vn.md §8, [P]).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
A4_SHORT, A4_LONG = Mm(210), Mm(297)
MARGIN_TOP = MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT, MARGIN_RIGHT = Mm(30), Mm(15)
PORTRAIT_TEXT_CM = 21.0 - 3.0 - 1.5  # the width between the margins
LANDSCAPE_TEXT_CM = 29.7 - 3.0 - 1.5
BODY_SIZE = 14
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NBSP = "\u00a0"
# Widths of the two columns of the header boxes and of the signature block (portrait, in cm).
LEFT_BOX_CM, RIGHT_BOX_CM = 6.5, PORTRAIT_TEXT_CM - 6.5


# -- words --------------------------------------------------------------------------------------------------------


def official_date(place: str, day: dt.date) -> str:
    """Box 4: "Sơn Hà, ngày 05 tháng 02 năm 2026". Day 1–9 and months 1–2 take a leading zero, the other months
    do not ("ngày 15 tháng 3 năm 2026"), as Decree 30 (Appendix I) writes them."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


_BODY_PREFIX = re.compile(r"^\s*(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", re.IGNORECASE)
_PLACE_PREFIX = re.compile(
    r"^\s*(?:(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+)?(?:tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE
)


def issuing_body(unit_name: str) -> str:
    """Box 2 from a unit's name: "UBND tỉnh Sơn Hà" → "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ" (no abbreviation)."""
    return _BODY_PREFIX.sub("Ủy ban nhân dân ", unit_name.strip()).upper()


def place_name(unit_name: str) -> str:
    """The place of box 4 from a province's name: "UBND tỉnh Sơn Hà" → "Sơn Hà"."""
    return _PLACE_PREFIX.sub("", unit_name.strip()) or unit_name.strip()


# -- the document -------------------------------------------------------------------------------------------------


def _fonts(element: Any) -> None:
    """Times New Roman in every script slot of a run's (or a style's) properties."""
    fonts = element.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def new_document(*, title: str = "", author: str = "") -> DocumentType:
    """An empty A4 portrait document with Decree 30's margins, Times New Roman 14 and Vietnamese as language."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    style_rpr = normal.element.get_or_add_rPr()
    _fonts(style_rpr)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    style_rpr.append(lang)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.0
    _page(document.sections[0], landscape=False)
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.language = "vi-VN"
    return document


def _page(section: Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)


def landscape_section(document: DocumentType) -> Section:
    """A new page in landscape A4 (allowed for a table that is not a separate annex), same margins."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False  # only page 1 of the document goes unnumbered
    return section


def portrait_section(document: DocumentType) -> Section:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=False)
    section.different_first_page_header_footer = False
    return section


def add_page_numbers(document: DocumentType) -> None:
    """A PAGE field, 13, centred in the top margin of every page but the first (an empty first-page header).
    Call once; later sections inherit the header."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # defined, and empty
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", ""), ("", "PAGE"), ("separate", ""), ("", ""), ("end", "")):
        run = style(paragraph.add_run(), size=13)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {text} "
            run._r.append(instruction)
        else:
            run.text = "2"  # what a reader shows before it updates the field


# -- text ---------------------------------------------------------------------------------------------------------


def style(run: Run, *, size: float, bold: bool = False, italic: bool = False) -> Run:
    """Times New Roman (every script slot), black, at `size` points."""
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    _fonts(run._r.get_or_add_rPr())
    return run


def _write(
    paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False
) -> Paragraph:
    """`text` in `paragraph`, one run; python-docx writes each newline as a line break."""
    style(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _line(
    container: DocumentType | _Cell,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    reuse_first: bool = False,
) -> Paragraph:
    if reuse_first and isinstance(container, _Cell) and not container.paragraphs[0].text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    return _write(paragraph, text, size=size, bold=bold, italic=italic)


def _text_width_cm(text: str, size: float, *, capitals: bool) -> float:
    """A rough width of one line of Times text (bold capitals ≈ 0.68 em a letter, mixed case ≈ 0.48)."""
    per_letter = 0.68 if capitals else 0.48
    return len(text) * size * per_letter * 2.54 / 72


_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _rule(
    container: DocumentType | _Cell,
    *,
    width_cm: float,
    across_cm: float,
    padding_cm: float = 0.1,
    after: float = 0,
) -> Paragraph:
    """A solid line `width_cm` long, centred in a container `across_cm` wide (less its padding each side): the
    top border of an empty, 2-point paragraph indented from both sides."""
    paragraph = container.add_paragraph()
    width = max(min(width_cm, across_cm - 2 * padding_cm), 0.5)
    indent = Cm((across_cm - width) / 2 - padding_cm)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_before = Pt(1)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    # The schema orders a paragraph's properties: the border goes before the spacing and indents already set.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDER)
    return paragraph


def _two_boxes(document: DocumentType, left_cm: float, right_cm: float) -> tuple[_Cell, _Cell]:
    """A borderless one-row table of two columns (the layout grid of boxes 1–4 and of the signature)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    for cell, width in ((left, left_cm), (right, right_cm)):
        cell.width = Cm(width)
    for column, width in zip(table.columns, (left_cm, right_cm), strict=True):
        column.width = Cm(width)
    return left, right


def add_header_boxes(
    document: DocumentType,
    *,
    body: str,
    number: str,
    place_and_date: str,
    managing_body: str = "",
) -> None:
    """Boxes 1–4 on page 1: the issuing body (and the body above it, when there is one), its short line and the
    number on the left; the Quốc hiệu, the Tiêu ngữ with its line, and the place and date on the right.

    `body` is written in capitals; "ỦY BAN NHÂN DÂN …" breaks after "DÂN" as the body's name is usually set.
    `number` is the whole of box 3, e.g. "Số:      /BC-UBND" with the number left for the clerk.
    """
    left, right = _two_boxes(document, LEFT_BOX_CM, RIGHT_BOX_CM)
    if managing_body:
        _line(left, managing_body.upper(), size=12, reuse_first=True)
    shown = body.upper().replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1)
    _line(left, shown, size=12, bold=True, reuse_first=True)
    longest = max(shown.split("\n"), key=len)
    _rule(left, width_cm=_text_width_cm(longest, 12, capitals=True) * 0.45, across_cm=LEFT_BOX_CM, after=6)
    _line(left, number, size=13)

    _line(right, QUOC_HIEU, size=12, bold=True, reuse_first=True)
    _line(right, TIEU_NGU, size=13, bold=True)
    _rule(right, width_cm=_text_width_cm(TIEU_NGU, 13, capitals=False), across_cm=RIGHT_BOX_CM, after=6)
    _line(right, place_and_date, size=13, italic=True)


def add_title(document: DocumentType, kind: str, summary: str, *, text_cm: float = PORTRAIT_TEXT_CM) -> None:
    """Box 5a: the type of document (14, bold, capitals) and its summary (14, bold), with a short line under."""
    _line(document, kind.upper(), size=14, bold=True, before=18)
    _line(document, summary, size=14, bold=True)
    _rule(document, width_cm=3.0, across_cm=text_cm, padding_cm=0, after=12)


def add_paragraph(
    document: DocumentType | _Cell,
    text: str,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    indent: bool = True,
) -> Paragraph:
    """A paragraph of the content: justified, the first line indented 1.27 cm, 6 points after."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else None
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15
    return _write(paragraph, text, size=size, bold=bold, italic=italic)


@dataclass(frozen=True)
class Column:
    title: str
    width_cm: float
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT


def add_table(
    document: DocumentType,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    size: float = 12,
    bold_rows: Iterable[int] = (),
) -> Table:
    """A table with a grid: a bold heading row repeated on every page, then `rows` (text only, as shown)."""
    bold = set(bold_rows)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    heading = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    heading._tr.get_or_add_trPr().append(repeat)
    for cell, column in zip(heading.cells, columns, strict=True):
        cell.width = Cm(column.width_cm)
        _line(cell, column.title, size=size, bold=True, reuse_first=True)
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, column, value in zip(cells, columns, values, strict=True):
            cell.width = Cm(column.width_cm)
            _line(cell, value, size=size, bold=index in bold, align=column.align, reuse_first=True)
    return table


def add_signature(
    document: DocumentType,
    *,
    position: Sequence[str],
    name: str,
    recipients: Sequence[str],
    text_cm: float = PORTRAIT_TEXT_CM,
) -> None:
    """Boxes 7 and 9a: "Nơi nhận:" (12, bold italic) with its list (11) on the left; the signer's position
    (13, bold capitals, e.g. ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]), room for the signature and seal, and the
    signer's name (13, bold) on the right. An empty `name` leaves the line for it blank."""
    document.add_paragraph().paragraph_format.space_after = Pt(6)
    right_cm = 8.0
    left, right = _two_boxes(document, text_cm - right_cm, right_cm)
    _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, reuse_first=True)
    for recipient in recipients:
        _line(left, recipient, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "\n".join(p.upper() for p in position), size=13, bold=True, reuse_first=True)
    _line(right, "\n\n\n", size=13)  # room for the signature and the seal
    _line(right, name or NBSP, size=13, bold=True)


def to_bytes(document: DocumentType) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
