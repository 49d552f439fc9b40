"""The codes of the one-stop dossier systems (domain-vn.md §3.3), kept as they are so that imports map one to one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.IntegerChoices):
    """`TrangThaiHoSoId` of the provincial dossier systems."""

    SUBMITTED_ONLINE = 1, _("Mới đăng ký (nộp trực tuyến, chờ tiếp nhận)")
    RECEIVED = 2, _("Đã tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    IN_PROCESS = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    AWAITING_FEES = 6, _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    DONE = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


# Groups used by the reports (domain-vn.md §3.4).
NOT_RECEIVED = frozenset({DossierStatus.SUBMITTED_ONLINE, DossierStatus.REFUSED})
OPEN = frozenset({DossierStatus.RECEIVED, DossierStatus.IN_PROCESS})
FINISHED = frozenset({DossierStatus.DONE, DossierStatus.RETURNED})
# The clock stops while the citizen owes a paper or a fee; such a dossier counts as in time.
PAUSED = frozenset({DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.AWAITING_FEES})
# Ended without a result being due: withdrawn by the citizen (counted with on time, as the reports do) or stopped.
ENDED_WITHOUT_RESULT = frozenset({DossierStatus.WITHDRAWN, DossierStatus.STOPPED})


class Channel(models.IntegerChoices):
    """`KenhThucHien`: how the dossier was submitted."""

    COUNTER = 1, _("Trực tiếp tại bộ phận một cửa")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Qua dịch vụ bưu chính công ích")


class ProcedureLevel(models.TextChoices):
    """Which level of government decides the procedure."""

    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    CENTRAL = "central", _("Cơ quan trung ương tại địa phương")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    ORGANIZATION = "organization", _("Tổ chức")


class Source(models.TextChoices):
    COUNTER = "counter", _("Nhập tại quầy")
    IMPORT = "import", _("Nhập từ tệp của hệ thống một cửa")
    API = "api", _("Gửi qua API")


class Timeliness(models.TextChoices):
    """Where a dossier stands against its due date, compared as dates (domain-vn.md §3.4)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")
    OPEN_IN_TIME = "open_in_time", _("Đang xử lý trong hạn")
    OPEN_OVERDUE = "open_overdue", _("Đang xử lý quá hạn")
    NOT_COUNTED = "not_counted", _("Không tính hạn")


class LetterStatus(models.TextChoices):
    """The apology letter (Form 04): draft → awaiting the leader's approval → approved (signed) → sent;
    a rejected letter goes back to draft."""

    DRAFT = "draft", _("Dự thảo")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo duyệt")
    APPROVED = "approved", _("Đã ký duyệt")
    SENT = "sent", _("Đã gửi")


class SendChannel(models.TextChoices):
    LETTER = "letter", _("Gửi thư")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_PERSON = "in_person", _("Trao trực tiếp")
    ZALO = "zalo", _("Zalo")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    DISSATISFIED = 2, _("Không hài lòng")
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Không nhập được (chưa ghi gì)")


class ImportKind(models.TextChoices):
    DOSSIERS = "dossiers", _("Hồ sơ")
    PROCEDURES = "procedures", _("Danh mục thủ tục")
