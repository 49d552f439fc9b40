"""The apology letter on paper: Form 04 of Circular 01/2018/TT-VPCP, A5 (148×210 mm), as PDF (WeasyPrint, from
`dossiers/letter_document.html`) and as Word (python-docx, with the Decree 30 helpers of
`trongtam.core.interfaces.official_docx`).

Both are built from one `LetterDocument`, with the fields real systems print (domain-vn.md §3.2): the agency and
"Số: …/PXL", the Quốc hiệu and Tiêu ngữ, place and date, the title, "Kính gửi:" the applicant's name and
address, the received date, the field and procedure, the receipt number (the dossier code), the original
appointment date, the routing sentence, the reason, the apology, the new return date in bold, "Nơi nhận" and the
signer's block. Until the leader signs, the document says "DỰ THẢO", leaves the number and the day blank and the
signer's name empty.

On A5 the Decree 30 sizes do not fit side by side (the Quốc hiệu in 12-point bold capitals is 8.1 cm wide): the
Quốc hiệu is set in 11 points, the agency in 11, the title in 13 and the text in 12, with margins of 15 mm
(10 mm on the right), as the one-stop forms printed on A5 do.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from trongtam.assessment.interfaces.exporters import PDF_CONTENT_TYPE, ExportFile, ascii_name
from trongtam.core.interfaces import official_docx as od
from trongtam.dossiers.enums import ApplicantKind, LetterStatus
from trongtam.dossiers.models import ApologyLetter
from trongtam.org.enums import Role, UnitKind
from trongtam.org.interfaces.forms import XLSX_CONTENT_TYPE
from trongtam.org.models import Person, Unit

A5_WIDTH, A5_HEIGHT = Mm(148), Mm(210)
MARGIN_TOP = MARGIN_BOTTOM = Mm(15)
MARGIN_LEFT, MARGIN_RIGHT = Mm(15), Mm(10)
TEXT_CM = 14.8 - 1.5 - 1.0
LEFT_BOX_CM, RIGHT_BOX_CM = 4.2, TEXT_CM - 4.2
TEXT_SIZE = 12
TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
# People's Committees (their leaders are the Chairman and Vice-Chairmen); the other units are led by a director.
COMMITTEES = frozenset(
    {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
)
LOCAL = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE, UnitKind.DISTRICT})
BLANK = "\u00a0" * 6


@dataclass(frozen=True)
class LetterDocument:
    draft: bool
    managing_body: str
    body: str
    number: str
    place_and_date: str
    addressee: str
    address: str
    paragraphs: list[str]  # the content before the apology
    reason: str
    apology: str  # the apology sentence, up to the new date
    new_date: str
    closing: str
    recipients: list[str] = field(default_factory=list)
    position: list[str] = field(default_factory=list)
    signer: str = ""
    code: str = ""


def agency_name(unit: Unit) -> str:
    """The unit as the letter's sentences name it: "Ủy ban nhân dân phường Sơn Hà", "Sở Tài chính"."""
    if unit.kind in LOCAL:
        return f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


def issuing_bodies(unit: Unit) -> tuple[str, str]:
    """Box 2 (the managing body above, if any; the issuing body): a commune's People's Committee stands alone,
    a department or centre under the province's."""
    if unit.kind in COMMITTEES:
        name = unit.name if unit.kind == UnitKind.PROVINCE else agency_name(unit)
        return "", od.issuing_body(name)
    parent = unit.parent
    return (od.issuing_body(parent.name) if parent is not None else ""), unit.name.upper()


def place_of(unit: Unit) -> str:
    """Box 4's place: the commune's own name for a commune, else the province's."""
    if unit.kind in LOCAL:
        for prefix in ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ", "Huyện "):
            if unit.name.startswith(prefix):
                return unit.name[len(prefix) :]
        return unit.name
    province = unit
    while province.parent is not None and province.kind != UnitKind.PROVINCE:
        province = province.parent
    return od.place_name(province.name)


def signer_position(unit: Unit, signer: Person | None) -> list[str]:
    """Box 7a: the head signs as "CHỦ TỊCH" / "GIÁM ĐỐC"; a deputy on the head's behalf, "KT. GIÁM ĐỐC /
    PHÓ GIÁM ĐỐC" (Decree 30)."""
    head, deputy = (
        (_("CHỦ TỊCH"), _("PHÓ CHỦ TỊCH"))
        if unit.kind in COMMITTEES
        else (_("TRƯỞNG PHÒNG"), _("PHÓ TRƯỞNG PHÒNG"))
        if unit.kind == UnitKind.DIVISION
        else (_("GIÁM ĐỐC"), _("PHÓ GIÁM ĐỐC"))
    )
    if signer is not None and signer.role == Role.DEPUTY:
        return [f"KT. {head}", deputy]
    return [head]


def salutation(kind: str) -> str:
    names: dict[str, str] = {
        ApplicantKind.BUSINESS: _("Quý doanh nghiệp"),
        ApplicantKind.ORGANIZATION: _("Quý cơ quan, tổ chức"),
    }
    return names.get(kind, _("Ông/Bà"))


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def letter_document(letter: ApologyLetter) -> LetterDocument:
    """Every field of the printed letter. Expects the letter with its dossier, unit (and parent), procedure and
    approver loaded."""
    dossier = letter.dossier
    unit = dossier.unit
    draft = letter.status in (LetterStatus.DRAFT, LetterStatus.AWAITING_APPROVAL)
    managing, body = issuing_bodies(unit)
    place = place_of(unit)
    if letter.approved_at is not None and not draft:
        place_and_date = od.official_date(place, timezone.localdate(letter.approved_at))
        number = _("Số: %(number)s") % {"number": letter.number}
    else:
        place_and_date = _("%(place)s, ngày%(b)stháng%(b)snăm %(year)s") % {
            "place": place,
            "b": BLANK,
            "year": timezone.localdate().year,
        }
        number = f"{_('Số:')}{BLANK}/PXL"
    agency = agency_name(unit)
    you = salutation(dossier.applicant_kind)
    procedure = dossier.procedure
    values = {
        "received": _d(dossier.received_on),
        "you": you,
        "procedure": procedure.name,
        "field": procedure.field,
        "code": dossier.code,
        "due": _d(dossier.due_date),
        "agency": agency,
    }
    paragraphs = [
        _(
            "Ngày %(received)s, Bộ phận tiếp nhận và trả kết quả đã tiếp nhận hồ sơ của %(you)s đề nghị giải "
            "quyết thủ tục hành chính «%(procedure)s», lĩnh vực %(field)s."
        )
        % values,
        _("Số biên nhận (mã hồ sơ): %(code)s.") % values,
        _("Ngày hẹn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả: %(due)s.") % values,
        _("Hồ sơ đã được Bộ phận tiếp nhận và trả kết quả chuyển đến %(agency)s để giải quyết theo quy định.")
        % values,
        _(
            "Tuy nhiên đến nay, %(agency)s chưa trả kết quả giải quyết hồ sơ của %(you)s đúng thời hạn quy định "
            "ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
        )
        % values,
    ]
    signer = letter.approved_by if not draft else None
    return LetterDocument(
        draft=draft,
        managing_body=managing,
        body=body,
        number=number,
        place_and_date=place_and_date,
        addressee=dossier.applicant_name,
        address=dossier.applicant_address,
        paragraphs=paragraphs,
        reason=letter.reason or "…",
        apology=_(
            "Sự chậm trễ này đã gây phiền hà cho %(you)s. %(agency)s xin lỗi %(you)s và hẹn trả kết quả vào ngày"
        )
        % values,
        new_date=_d(letter.new_due_date),
        closing=_("Xin trân trọng cảm ơn sự hợp tác của %(you)s!") % values,
        recipients=[
            _("- Như trên;"),
            _("- Bộ phận tiếp nhận và trả kết quả;"),
            _("- Lưu: VT."),
        ],
        position=signer_position(unit, signer),
        signer=signer.get_full_name() if signer is not None else "",
        code=dossier.code,
    )


def _names(doc: LetterDocument, extension: str) -> tuple[str, str]:
    """The ASCII file name and the name as people read it."""
    stem = f"phieu-xin-loi_{ascii_name(doc.code)}" + ("_du-thao" if doc.draft else "")
    shown = _("Phiếu xin lỗi (dự thảo)") if doc.draft else _("Phiếu xin lỗi")
    return f"{stem}.{extension}", f"{shown} - {doc.code}.{extension}"


# -- PDF ---------------------------------------------------------------------------------------------------------


def letter_html(doc: LetterDocument) -> str:
    return render_to_string(
        "dossiers/letter_document.html",
        {"doc": doc, "title": TITLE, "quoc_hieu": od.QUOC_HIEU, "tieu_ngu": od.TIEU_NGU},
    )


def export_pdf(letter: ApologyLetter) -> ExportFile:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy (Pango): loaded for a PDF only

    doc = letter_document(letter)
    pdf = HTML(string=letter_html(doc)).write_pdf()
    return ExportFile(*_names(doc, "pdf"), PDF_CONTENT_TYPE, bytes(pdf))


# -- Word ----------------------------------------------------------------------------------------------------------


def _cell_line(
    cell: _Cell, text: str, *, size: float, bold: bool = False, italic: bool = False, first: bool = False
) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    od.style(paragraph.add_run(text), size=size, bold=bold, italic=italic)


def _underlined_line(cell: _Cell, *, width_cm: float) -> None:
    """A short solid line centred in the cell (under the agency's name, under the Tiêu ngữ): the top border of an
    empty two-point paragraph indented from both sides."""
    paragraph = cell.add_paragraph()
    across = float(cell.width.cm) if cell.width is not None else width_cm
    indent = Cm(max((across - width_cm) / 2 - 0.2, 0))
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = indent
    fmt.space_before, fmt.space_after = Pt(1), Pt(4)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert(0, borders)


def _header(document: DocumentType, doc: LetterDocument) -> None:
    """Boxes 1–4 at A5 widths (`od.add_header_boxes` lays them out for A4)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    for cell, column, width in (
        (left, table.columns[0], LEFT_BOX_CM),
        (right, table.columns[1], RIGHT_BOX_CM),
    ):
        cell.width = column.width = Cm(width)
    first = True
    if doc.managing_body:
        _cell_line(
            left, doc.managing_body.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1), size=11, first=True
        )
        first = False
    _cell_line(
        left, doc.body.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1), size=11, bold=True, first=first
    )
    _underlined_line(left, width_cm=1.8)
    _cell_line(left, doc.number, size=12)
    _cell_line(right, od.QUOC_HIEU, size=11, bold=True, first=True)
    _cell_line(right, od.TIEU_NGU, size=12, bold=True)
    _underlined_line(right, width_cm=4.9)
    _cell_line(right, doc.place_and_date, size=12, italic=True)


def export_docx(letter: ApologyLetter) -> ExportFile:
    """The letter as a Word document on A5 portrait."""
    doc = letter_document(letter)
    document = od.new_document(title=TITLE, author=doc.body)
    section = document.sections[0]
    section.page_width, section.page_height = A5_WIDTH, A5_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    if doc.draft:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        od.style(mark.add_run(_("DỰ THẢO")), size=12, bold=True)
    _header(document, doc)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(12), Pt(8)
    od.style(title.add_run(TITLE), size=13, bold=True)
    to = od.add_paragraph(document, "", size=TEXT_SIZE, indent=False)
    to.alignment = WD_ALIGN_PARAGRAPH.CENTER
    od.style(to.add_run(_("Kính gửi: %(name)s") % {"name": doc.addressee}), size=TEXT_SIZE, bold=True)
    if doc.address:
        od.add_paragraph(document, _("Địa chỉ: %(address)s") % {"address": doc.address}, size=TEXT_SIZE)
    for text in doc.paragraphs:
        od.add_paragraph(document, text, size=TEXT_SIZE)
    reason = od.add_paragraph(document, "", size=TEXT_SIZE)
    od.style(reason.add_run(_("Lý do: ")), size=TEXT_SIZE, bold=True)
    od.style(reason.add_run(doc.reason), size=TEXT_SIZE)
    apology = od.add_paragraph(document, f"{doc.apology} ", size=TEXT_SIZE)
    od.style(apology.add_run(doc.new_date), size=TEXT_SIZE, bold=True)
    od.style(apology.add_run("."), size=TEXT_SIZE)
    od.add_paragraph(document, doc.closing, size=TEXT_SIZE)
    od.add_signature(
        document, position=doc.position, name=doc.signer, recipients=doc.recipients, text_cm=TEXT_CM
    )
    return ExportFile(*_names(doc, "docx"), od.DOCX_CONTENT_TYPE, od.to_bytes(document))


# -- the register in Excel ------------------------------------------------------------------------------------------


REGISTER_COLUMNS = (
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Số phiếu"), 12),
    (gettext_lazy("Mã hồ sơ"), 22),
    (gettext_lazy("Đơn vị"), 30),
    (gettext_lazy("Thủ tục"), 40),
    (gettext_lazy("Chủ hồ sơ"), 24),
    (gettext_lazy("Ngày hẹn trả"), 13),
    (gettext_lazy("Ngày hẹn trả mới"), 13),
    (gettext_lazy("Lý do"), 40),
    (gettext_lazy("Trạng thái"), 18),
    (gettext_lazy("Lập muộn"), 10),
    (gettext_lazy("Ban hành sau ngày hẹn trả"), 12),
    (gettext_lazy("Ngày lập"), 13),
    (gettext_lazy("Ngày ký duyệt"), 13),
    (gettext_lazy("Người ký"), 24),
    (gettext_lazy("Ngày gửi"), 13),
    (gettext_lazy("Hình thức gửi"), 16),
)


def export_register(letters: QuerySet[ApologyLetter], *, today: dt.date) -> ExportFile:
    """The register as a workbook, streamed row by row (write-only: memory stays flat however many letters).
    Internal: it names the applicants, as the one-stop register (Form 06) does."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Sổ phiếu xin lỗi"))
    for index, (_title, width) in enumerate(REGISTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    heading = []
    for title, _width in REGISTER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        heading.append(cell)
    sheet.append([WriteOnlyCell(sheet, value=_("SỔ THEO DÕI PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"))])
    sheet.append([_("Ngày xuất: %(day)s") % {"day": _d(today)}])
    sheet.append(heading)
    yes, no = _("Có"), ""
    for number, letter in enumerate(letters.iterator(chunk_size=2000), start=1):
        dossier = letter.dossier
        sheet.append(
            [
                number,
                letter.number,
                dossier.code,
                dossier.unit.name,
                dossier.procedure.name,
                dossier.applicant_name,
                _d(dossier.due_date),
                _d(letter.new_due_date),
                letter.reason,
                str(letter.get_status_display()),
                yes if letter.is_late else no,
                yes if letter.issued_after_due else no,
                _d(timezone.localdate(letter.drafted_at)),
                _d(timezone.localdate(letter.approved_at)) if letter.approved_at else "",
                letter.approved_by.get_full_name() if letter.approved_by else "",
                _d(timezone.localdate(letter.sent_at)) if letter.sent_at else "",
                str(letter.get_sent_via_display()) if letter.sent_via else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return ExportFile(
        f"so-phieu-xin-loi_{today:%Y%m%d}.xlsx",
        _("Sổ phiếu xin lỗi - %(day)s.xlsx") % {"day": today.strftime("%d-%m-%Y")},
        XLSX_CONTENT_TYPE,
        out.getvalue(),
    )
