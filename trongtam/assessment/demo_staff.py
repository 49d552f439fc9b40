"""Demo data of the staff evaluation, for `seed_demo`: the job positions of Sở Công Thương and Sở Tài chính, the
position each of their deputies and officials holds, and each one's personal work plan for 2026 (3–5 products).

No round is opened or signed here: staff evaluations start once the heads' round is signed, which is the story
the demo shows live. Idempotent and quick: a unit that already has job positions is left alone, and so is a
person who already has a plan for the period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trongtam.assessment.models import WorkPlanItem
from trongtam.cycles.models import Period
from trongtam.org.domain.job_positions import JobPositionInput, create_job_position, set_job_position
from trongtam.org.enums import JobCategory
from trongtam.org.models import JobPosition, Person, Unit

HOME_AFFAIRS = "noivu"

# unit code → [(code, name, category, description, usernames holding it)]
POSITIONS: dict[str, list[tuple[str, str, JobCategory, str, list[str]]]] = {
    "SCT": [
        (
            "LD.PGD",
            "Phó Giám đốc Sở",
            JobCategory.LEADERSHIP,
            "Giúp Giám đốc Sở chỉ đạo lĩnh vực thương mại, xuất nhập khẩu; chủ trì tham mưu các chương trình "
            "xúc tiến thương mại; chịu trách nhiệm về kết quả các phòng được phân công phụ trách.",
            ["pgd.sct"],
        ),
        (
            "CM.TM",
            "Chuyên viên quản lý thương mại",
            JobCategory.PROFESSIONAL,
            "Tham mưu quản lý hoạt động thương mại nội địa, chợ và siêu thị; theo dõi thị trường, giá cả hàng "
            "hóa thiết yếu; xây dựng báo cáo định kỳ về lưu thông hàng hóa.",
            ["cv.sct"],
        ),
        (
            "CM.CN",
            "Chuyên viên quản lý công nghiệp",
            JobCategory.PROFESSIONAL,
            "Tham mưu quản lý cụm công nghiệp, khuyến công; thẩm định hồ sơ dự án công nghiệp; theo dõi chỉ số "
            "sản xuất công nghiệp.",
            ["cv2.sct"],
        ),
        (
            "HT.VT",
            "Văn thư",
            JobCategory.SUPPORT,
            "Tiếp nhận, đăng ký, chuyển giao văn bản đến, đi; quản lý con dấu; lập hồ sơ lưu trữ.",
            [],
        ),
    ],
    "STC": [
        (
            "LD.PGD",
            "Phó Giám đốc Sở",
            JobCategory.LEADERSHIP,
            "Giúp Giám đốc Sở chỉ đạo lĩnh vực ngân sách nhà nước và quản lý giá; chịu trách nhiệm về kết quả "
            "các phòng được phân công phụ trách.",
            ["pgd.stc"],
        ),
        (
            "CM.NS",
            "Chuyên viên quản lý ngân sách",
            JobCategory.PROFESSIONAL,
            "Tham mưu lập, phân bổ và theo dõi thực hiện dự toán ngân sách địa phương; thẩm tra quyết toán ngân "
            "sách các đơn vị.",
            ["cv.stc"],
        ),
        (
            "CM.DT",
            "Chuyên viên quản lý vốn đầu tư công",
            JobCategory.PROFESSIONAL,
            "Tham mưu kế hoạch vốn đầu tư công; theo dõi tiến độ giải ngân; thẩm tra quyết toán dự án hoàn thành.",
            ["cv2.stc"],
        ),
        (
            "HT.KT",
            "Kế toán",
            JobCategory.SUPPORT,
            "Thực hiện công tác kế toán, tài chính của cơ quan; lập báo cáo tài chính, quyết toán năm.",
            [],
        ),
    ],
}

# username → [(title, weight, deadline (month, day))]
PLANS: dict[str, list[tuple[str, str, tuple[int, int]]]] = {
    "pgd.sct": [
        ("Chương trình xúc tiến thương mại năm 2026 được UBND tỉnh phê duyệt", "2", (3, 31)),
        ("Hội chợ hàng Việt tỉnh Sơn Hà năm 2026", "1.5", (9, 30)),
        ("Báo cáo sơ kết 6 tháng thực hiện nhiệm vụ lĩnh vực thương mại", "1", (6, 30)),
        ("Đề án phát triển thương mại điện tử giai đoạn 2026–2030", "2", (11, 30)),
    ],
    "cv.sct": [
        ("Báo cáo tình hình thị trường, giá cả hàng hóa thiết yếu hằng tháng", "1", (12, 15)),
        ("Kế hoạch bình ổn thị trường dịp Tết Nguyên đán", "1.5", (1, 15)),
        ("Rà soát quy hoạch mạng lưới chợ trên địa bàn tỉnh", "2", (8, 31)),
    ],
    "cv2.sct": [
        ("Hồ sơ thành lập Cụm công nghiệp Phú Cường", "2", (6, 30)),
        ("Kế hoạch khuyến công năm 2026", "1", (2, 28)),
        ("Báo cáo chỉ số sản xuất công nghiệp quý", "1", (12, 15)),
        ("Thẩm định hồ sơ 5 dự án công nghiệp", "1.5", (10, 31)),
    ],
    "pgd.stc": [
        ("Dự toán ngân sách địa phương năm 2027 trình HĐND tỉnh", "2", (11, 15)),
        ("Báo cáo quyết toán ngân sách địa phương năm 2025", "1.5", (7, 31)),
        ("Phương án điều hành giá các mặt hàng do Nhà nước định giá", "1", (5, 31)),
    ],
    "cv.stc": [
        ("Thẩm tra quyết toán ngân sách của 10 sở, ngành", "2", (9, 30)),
        ("Báo cáo thu, chi ngân sách hằng quý", "1", (12, 20)),
        ("Hướng dẫn lập dự toán năm 2027 cho các đơn vị", "1", (7, 15)),
        ("Theo dõi thực hiện dự toán của các xã sau sắp xếp", "1.5", (12, 10)),
    ],
    "cv2.stc": [
        ("Kế hoạch vốn đầu tư công năm 2027", "2", (10, 31)),
        ("Báo cáo tiến độ giải ngân vốn đầu tư công hằng tháng", "1", (12, 15)),
        ("Thẩm tra quyết toán 8 dự án hoàn thành", "1.5", (11, 30)),
        ("Rà soát điều chỉnh kế hoạch vốn giữa năm", "1", (6, 30)),
        ("Tổng hợp báo cáo đánh giá đầu tư công năm 2025", "1", (3, 31)),
    ],
}


def seed_staff() -> bool:
    """Add what is missing; True when something was added."""
    by = Person.objects.filter(username=HOME_AFFAIRS).first()
    period = Period.objects.filter(year=2026).first()
    if by is None or period is None:
        return False
    added = False
    for code, positions in POSITIONS.items():
        unit = Unit.objects.filter(code=code).first()
        if unit is None or JobPosition.objects.filter(unit=unit).exists():
            continue
        for pos_code, name, category, description, holders in positions:
            position = create_job_position(
                unit, JobPositionInput(pos_code, name, category, description), by=by
            )
            for person in Person.objects.filter(username__in=holders, unit=unit):
                set_job_position(person.pk, position.pk, by=by)
        added = True
    people = {p.username: p for p in Person.objects.filter(username__in=list(PLANS))}
    planned = set(
        WorkPlanItem.objects.filter(period=period, person__in=people.values()).values_list(
            "person__username", flat=True
        )
    )
    items = []
    for username, plan in PLANS.items():
        holder = people.get(username)
        if holder is None or username in planned:
            continue
        for index, (title, weight, (month, day)) in enumerate(plan, start=1):
            items.append(
                WorkPlanItem(
                    period=period,
                    person=holder,
                    position=index,
                    title=title,
                    weight=Decimal(weight),
                    deadline=dt.date(period.year, month, day),
                )
            )
    if items:
        WorkPlanItem.objects.bulk_create(items)
        added = True
    return added
