"""`python manage.py import_dossiers FILE`: import a file of dossiers (or the procedure catalog) synchronously.

For cron (the nightly export of the province's one-stop system) and for the benchmark. The same checks and the
same all-or-nothing write as the upload page; the import is listed with the others (without its file, which stays
where it is). Without `--user` it runs as the system, for every unit; with it, with that person's permissions.

    python manage.py import_dossiers /srv/exports/hoso-2026-03-02.csv
    python manage.py import_dossiers danh-muc.xlsx --kind procedures --user vanphong
    python manage.py import_dossiers hoso.csv --unit XA01 --map code=SoHoSo --map status=TinhTrang
"""

from __future__ import annotations

import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trongtam.dossiers.domain.import_columns import DOSSIER_COLUMNS, PROCEDURE_COLUMNS
from trongtam.dossiers.domain.import_readers import file_problem, first_bytes, format_of
from trongtam.dossiers.domain.importing import error_total, max_import_bytes, run_import, shown_errors
from trongtam.dossiers.enums import ImportKind, ImportStatus
from trongtam.dossiers.models import ImportJob
from trongtam.org.models import Person, Unit


class Command(BaseCommand):
    help = "Nhập tệp hồ sơ (CSV, Excel .xlsx, JSON) hoặc danh mục thủ tục từ hệ thống một cửa, tất cả hoặc không."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Đường dẫn tệp cần nhập.")
        parser.add_argument(
            "--kind",
            choices=[k.value for k in ImportKind],
            default=ImportKind.DOSSIERS.value,
            help="Loại dữ liệu.",
        )
        parser.add_argument("--user", default="", help="Tên đăng nhập của người nhập (mặc định: hệ thống).")
        parser.add_argument("--unit", default="", help="Mã đơn vị cho các dòng không có cột MaDonVi.")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="TRUONG=COT",
            help="Ánh xạ cột: trường của hệ thống = tên cột trong tệp (lặp lại cho nhiều cột).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        kind = ImportKind(options["kind"])
        user = None
        if options["user"]:
            user = Person.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng «{options['user']}».")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        fields = {c.field for c in (PROCEDURE_COLUMNS if kind == ImportKind.PROCEDURES else DOSSIER_COLUMNS)}
        mapping: dict[str, str] = {}
        for item in options["map"]:
            field, _sep, header = item.partition("=")
            if field not in fields or not header:
                raise CommandError(f"Ánh xạ «{item}» không hợp lệ; các trường: {', '.join(sorted(fields))}.")
            mapping[field] = header
        size = path.stat().st_size
        with path.open("rb") as binary:
            problem = file_problem(path.name, size, first_bytes(binary), max_import_bytes())
            if problem:
                raise CommandError(problem)
            job = ImportJob.objects.create(
                kind=kind,
                original_name=path.name,
                file_format=format_of(path.name),
                mapping=mapping,
                unit=unit,
                status=ImportStatus.RUNNING,
                created_by=user,
            )
            started = time.perf_counter()
            run_import(job, binary, name=path.name, size=size)
            seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if job.status == ImportStatus.FAILED:
            for error in shown_errors(job):
                where = f"dòng {error['row']}" if error["row"] else "tệp"
                column = f", cột {error['column']}" if error["column"] else ""
                self.stderr.write(f"{where}{column}: {error['message']}")
            raise CommandError(f"Không nhập được (lần nhập #{job.pk}): {error_total(job)} lỗi; chưa ghi gì.")
        rate = job.rows_total / seconds if seconds else 0
        self.stdout.write(
            f"Lần nhập #{job.pk}: {job.rows_total} dòng trong {seconds:.1f} giây ({rate:,.0f} dòng/giây, "
            f"bộ nhớ tối đa {peak_mb:,.0f} MB): {job.created_count} tạo mới, {job.updated_count} cập nhật, "
            f"{job.unchanged_count} không đổi."
        )
