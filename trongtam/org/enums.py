from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    SECTOR_AGENCY = "sector_agency", _("Cơ quan ngành dọc")
    DIVISION = "division", _("Phòng, ban chuyên môn")
    SERVICE_CENTER = "service_center", _("Trung tâm phục vụ hành chính công")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")
    DISTRICT = "district", _("Huyện (mô hình ba cấp)")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


class Role(models.TextChoices):
    """The roles of product.md. A person's scope follows from the role and, for unit roles, the unit."""

    CHAIRMAN = "chairman", _("Chủ tịch UBND tỉnh")
    VICE_CHAIRMAN = "vice_chairman", _("Phó Chủ tịch UBND tỉnh")
    OFFICE = "office", _("Văn phòng UBND tỉnh")
    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ")
    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó")
    OFFICIAL = "official", _("Cán bộ, công chức, viên chức")
    COUNCIL = "council", _("Thường trực HĐND")
    CITIZEN = "citizen", _("Người dân, doanh nghiệp")
    ADMIN = "admin", _("Quản trị")


PROVINCE_WIDE_ROLES = frozenset({Role.CHAIRMAN, Role.OFFICE, Role.HOME_AFFAIRS, Role.ADMIN})
UNIT_ROLES = frozenset({Role.HEAD, Role.DEPUTY, Role.OFFICIAL})
INTERNAL_ROLES = frozenset(set(Role) - {Role.CITIZEN})


class JobCategory(models.TextChoices):
    """The categories of job positions of Decree 62/2020/NĐ-CP (vị trí việc làm trong cơ quan hành chính): the
    group of comparable tasks in which the quota on "excellent" is counted for a unit's staff."""

    LEADERSHIP = "leadership", _("Vị trí việc làm lãnh đạo, quản lý")
    PROFESSIONAL = "professional", _("Vị trí việc làm chuyên môn, nghiệp vụ")
    SUPPORT = "support", _("Vị trí việc làm hỗ trợ, phục vụ")
