"""Demo dialogues and a Council supervision, for `seed_demo`: two dialogue sessions of 2026 with issues in every
state (resolved, answered and awaiting the chair, in handling past its deadline, assigned in time, transferred,
rejected, closed without resolution, not yet given to a unit) and a supervision of the People's Council with
recommendations resolved on time, partly resolved, in handling and overdue, and not yet due.

Dates are counted in working days back from the day the demo is loaded, on the province's calendar (as the
follow-up's demo does, followup/demo.py): an item due in 20 working days stays "in time" and one due 5 working
days ago is "overdue" whatever the day `make run` first loads the demo. Every record goes through the domain
functions, so each has its history, audit trail and notices. Idempotent: nothing is added when the demo's first
session is already there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from trongtam.org.domain.queries import head_of
from trongtam.org.models import Person, Unit
from trongtam.supervision.domain.items import StepInput, act_on_issue, act_on_recommendation
from trongtam.supervision.domain.records import (
    DialogueInput,
    IssueInput,
    RecommendationInput,
    SupervisionInput,
    add_issue,
    add_recommendation,
    create_dialogue,
    create_supervision,
)
from trongtam.supervision.enums import Audience, IssueAction, RaiserKind, RecommendationAction, Verdict
from trongtam.supervision.models import Dialogue
from trongtam.workdays.domain.queries import work_calendar

BUSINESS_DIALOGUE = "Hội nghị Chủ tịch UBND tỉnh đối thoại với doanh nghiệp năm 2026"
CITIZEN_DIALOGUE = "Đối thoại với người dân về bồi thường, hỗ trợ, tái định cư dự án đường vành đai phía Bắc"
SUPERVISION = "Giám sát việc giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành chính công tỉnh"


def _by(username: str) -> Person:
    return Person.objects.get(username=username)


def _unit(code: str) -> int:
    return Unit.objects.values_list("pk", flat=True).get(code=code)


def _head(code: str) -> Person:
    head = head_of(Unit.objects.get(code=code))
    assert head is not None  # noqa: S101 -- the demo province has a head in every unit
    return head


def seed_supervision(today: dt.date | None = None) -> bool:
    """Add the demo dialogues and supervision; False when they are already there."""
    if Dialogue.objects.filter(topic=BUSINESS_DIALOGUE).exists():
        return False
    today = today or timezone.localdate()
    calendar = work_calendar()

    def ago(days: int) -> dt.date:
        return calendar.add_working_days(calendar.working_day_on_or_after(today), -days)

    with transaction.atomic():
        _business_dialogue(ago)
        _citizen_dialogue(ago)
        _council_supervision(ago)
    return True


def _business_dialogue(at: Callable[[int], dt.date]) -> None:
    chairman, office = _by("chutich"), _by("vanphong")
    held = at(60)
    dialogue = create_dialogue(
        DialogueInput(
            topic=BUSINESS_DIALOGUE, audience=Audience.BUSINESSES, held_on=held, chaired_by=chairman.pk,
            organizing_unit=_unit("VP"),
            participants="Lãnh đạo UBND tỉnh; Giám đốc các sở: Tài chính, Xây dựng, Nông nghiệp và Môi trường; "
            "Hiệp hội Doanh nghiệp tỉnh; 120 doanh nghiệp, hợp tác xã.",
            summary="Doanh nghiệp nêu 4 nhóm kiến nghị về đất đai, cấp phép xây dựng, thuế và hạ tầng giao thông. "
            "Chủ tịch UBND tỉnh giao các sở, địa phương trả lời bằng văn bản trong 15 ngày làm việc.",
        ),
        by=office, today=held,
    )  # fmt: skip
    land = add_issue(
        dialogue.pk,
        IssueInput(
            content="Thủ tục thuê đất để mở rộng nhà xưởng kéo dài quá 6 tháng; đề nghị rút ngắn thời gian thẩm định.",
            raiser_kind=RaiserKind.BUSINESS, raised_by="Công ty TNHH Cơ khí chính xác Sơn Hà",
            responsible_unit=_unit("SNNMT"), deadline_days=15,
        ),
        by=office, today=held,
    )  # fmt: skip
    act_on_issue(land.pk, IssueAction.START, by=_by("cv.snnmt"), today=at(55))
    act_on_issue(
        land.pk, IssueAction.ANSWER, by=_head("SNNMT"), today=at(50),
        data=StepInput(answer="Sở đã thẩm định xong hồ sơ, trình UBND tỉnh quyết định cho thuê đất ngày 12; "
                       "quy trình nội bộ rút từ 30 xuống 20 ngày làm việc."),
    )  # fmt: skip
    act_on_issue(land.pk, IssueAction.RESOLVE, by=office, today=at(48))
    permit = add_issue(
        dialogue.pk,
        IssueInput(
            content="Đề nghị đẩy nhanh cấp giấy phép xây dựng nhà xưởng tại Cụm công nghiệp Đông Thành.",
            raiser_kind=RaiserKind.BUSINESS, raised_by="Công ty CP Dệt may Đông Thành",
            responsible_unit=_unit("SXD"), deadline_days=15,
        ),
        by=office, today=held,
    )  # fmt: skip
    act_on_issue(permit.pk, IssueAction.START, by=_head("SXD"), today=at(58))
    tax = add_issue(
        dialogue.pk,
        IssueInput(
            content="Hoàn thuế giá trị gia tăng hàng xuất khẩu chậm so với quy định.",
            raiser_kind=RaiserKind.BUSINESS, raised_by="Công ty TNHH Chế biến nông sản Hồ Xanh",
            responsible_unit=_unit("STC"), deadline_days=10,
        ),
        by=office, today=held,
    )  # fmt: skip
    act_on_issue(
        tax.pk, IssueAction.TRANSFER, by=office, today=at(57),
        data=StepInput(comment="Thuộc thẩm quyền của Thuế tỉnh (cơ quan ngành dọc): đã chuyển văn bản đề nghị xử lý."),
    )  # fmt: skip
    road = add_issue(
        dialogue.pk,
        IssueInput(
            content="Đường vào khu dân cư và cơ sở sản xuất xuống cấp, xe tải không vào được mùa mưa.",
            raiser_kind=RaiserKind.PERSON, raised_by="Nguyễn Văn Hùng",
        ),
        by=office, today=held,
    )  # fmt: skip
    act_on_issue(
        road.pk, IssueAction.ASSIGN, by=office, today=at(2),
        data=StepInput(responsible_unit=_unit("XA01"), deadline=at(-20)),
    )  # fmt: skip


def _citizen_dialogue(at: Callable[[int], dt.date]) -> None:
    chair = _by("pct.kinhte")
    held = at(25)
    dialogue = create_dialogue(
        DialogueInput(
            topic=CITIZEN_DIALOGUE, audience=Audience.CITIZENS, held_on=held, chaired_by=chair.pk,
            organizing_unit=_unit("SNNMT"),
            participants="Phó Chủ tịch UBND tỉnh; Sở Nông nghiệp và Môi trường; UBND xã Tân Lập; 46 hộ dân bị ảnh hưởng.",
            summary="Người dân kiến nghị về giá bồi thường, tái định cư và thời gian chi trả.",
        ),
        by=chair, today=held,
    )  # fmt: skip
    price = add_issue(
        dialogue.pk,
        IssueInput(
            content="Giá bồi thường đất nông nghiệp thấp hơn giá thị trường; đề nghị xem xét lại.",
            raiser_kind=RaiserKind.PERSON, raised_by="Trần Thị Lan",
            responsible_unit=_unit("SNNMT"), deadline_days=20,
        ),
        by=chair, today=held,
    )  # fmt: skip
    act_on_issue(
        price.pk, IssueAction.ANSWER, by=_head("SNNMT"), today=at(3),
        data=StepInput(answer="Giá bồi thường theo bảng giá đất năm 2026 đã được HĐND tỉnh thông qua; "
                       "Sở đề nghị bổ sung hỗ trợ chuyển đổi nghề cho các hộ."),
    )  # fmt: skip
    school = add_issue(
        dialogue.pk,
        IssueInput(content="Đề nghị hủy quyết định thu hồi đất đã có hiệu lực từ năm 2023.", raiser_kind=RaiserKind.PERSON),
        by=chair, today=held,
    )  # fmt: skip
    act_on_issue(
        school.pk, IssueAction.REJECT, by=chair, today=at(20),
        data=StepInput(comment="Quyết định đã được giải quyết khiếu nại lần hai, có hiệu lực thi hành; "
                       "hướng dẫn người dân khởi kiện tại Tòa án nếu không đồng ý."),
    )  # fmt: skip
    schedule = add_issue(
        dialogue.pk,
        IssueInput(
            content="Chi trả tiền bồi thường chậm, đề nghị chi trả một lần trước Tết.",
            raiser_kind=RaiserKind.BUSINESS, raised_by="Hợp tác xã Nông nghiệp Tân Lập",
            responsible_unit=_unit("XA07"), deadline_days=10,
        ),
        by=chair, today=held,
    )  # fmt: skip
    act_on_issue(
        schedule.pk, IssueAction.CLOSE_UNRESOLVED, by=chair, today=at(10),
        data=StepInput(comment="Nguồn vốn dự án chưa được bố trí đủ trong năm; chi trả theo tiến độ vốn năm sau."),
    )  # fmt: skip
    add_issue(
        dialogue.pk,
        IssueInput(content="Đề nghị bố trí tái định cư gần nơi ở cũ.", raiser_kind=RaiserKind.PERSON, raised_by="Lê Văn Nam"),
        by=chair, today=held,
    )  # fmt: skip


def _council_supervision(at: Callable[[int], dt.date]) -> None:
    council = _by("hdnd")
    held = at(40)
    supervision = create_supervision(
        SupervisionInput(
            topic=SUPERVISION,
            held_on=held, supervised_unit=_unit("TTPVHCC"),
            team="Thường trực HĐND tỉnh; Ban Pháp chế HĐND tỉnh.",
            summary="Tỷ lệ hồ sơ trễ hạn còn cao ở lĩnh vực đất đai, xây dựng; một số thủ tục chưa công khai đủ.",
        ),
        by=council, today=held,
    )  # fmt: skip

    def recommend(title: str, code: str, deadline: dt.date) -> int:
        rec = add_recommendation(
            supervision.pk,
            RecommendationInput(title=title, responsible_unit=_unit(code), deadline=deadline),
            by=council,
        )
        return rec.pk

    public = recommend(
        "Niêm yết công khai đầy đủ quy trình, thời hạn giải quyết các thủ tục tại quầy.", "TTPVHCC", at(20)
    )
    act_on_recommendation(
        public, RecommendationAction.REPORT, by=_head("TTPVHCC"), today=at(22),
        data=StepInput(answer="Đã niêm yết 100% thủ tục tại quầy và trên Cổng dịch vụ công."),
    )  # fmt: skip
    act_on_recommendation(
        public, RecommendationAction.CONCLUDE, by=council, today=at(18),
        data=StepInput(verdict=Verdict.RESOLVED),
    )  # fmt: skip
    late = recommend(
        "Khắc phục tình trạng hồ sơ đất đai trễ hạn; xin lỗi người dân đúng quy định.", "TTPVHCC", at(5)
    )
    act_on_recommendation(late, RecommendationAction.START, by=_head("TTPVHCC"), today=at(30))
    recommend("Rà soát, bố trí đủ công chức tiếp nhận hồ sơ tại Trung tâm.", "SNV", at(-20))
    forms = recommend("Chuẩn hóa biểu mẫu thủ tục lĩnh vực tư pháp theo quy định mới.", "STP", at(15))
    act_on_recommendation(
        forms, RecommendationAction.REPORT, by=_head("STP"), today=at(16),
        data=StepInput(answer="Đã chuẩn hóa 18/25 biểu mẫu; còn 7 biểu mẫu chờ hướng dẫn của Bộ Tư pháp."),
    )  # fmt: skip
    act_on_recommendation(
        forms, RecommendationAction.CONCLUDE, by=council, today=at(12),
        data=StepInput(verdict=Verdict.PARTLY, comment="Còn 7 biểu mẫu chưa chuẩn hóa; tiếp tục theo dõi ở kỳ họp sau."),
    )  # fmt: skip
