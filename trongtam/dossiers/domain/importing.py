"""Importing dossiers (and the procedure catalog) from the province's one-stop system: all or nothing per file,
idempotent by code, in memory that does not grow with the file.

A file is read twice, as a stream (`import_readers.py`), never held whole:

1. **Checking** (`ImportJob.rows_done` rises as it goes, committed, so the job's page can show it): every row is
   read against the layout of columns and the catalog (`import_columns.py`); the codes go to a temporary table of
   (code, row) on the database's disk, which finds the duplicates inside the file with one query at the end. Up
   to `MAX_SHOWN_ERRORS` problems are kept, all are counted. Any problem: the job fails, nothing is written.
2. **Writing**, in one transaction: the rows again, in batches of `BATCH_SIZE`; one query per batch fetches the
   dossiers that exist by code; a new code is created (`bulk_create`), a changed row updates the dossier
   (`bulk_update` of the changed columns, its `version` raised, an audit entry with the field diff), an identical
   row is counted as unchanged and not touched -- so importing the same file again writes nothing and adds no
   audit entry. Due dates always come from `deadlines.schedule` with the procedure's processing days. Whatever
   fails in this pass (the catalog changed since the check, another import created the same code) rolls it all
   back. Its progress is not shown row by row: nothing written inside the transaction is visible outside it.

Memory holds a batch, the catalog (procedures and units: bounded by the province, not by the file) and the first
problems; the duplicates are the database's work. `run_import` is shared by the worker (`jobs.py`, the uploaded
file) and the `import_dossiers` command (a file on disk, synchronously).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, models, reset_queries, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.models import AuditAction
from trongtam.dossiers.domain.import_columns import (
    DOSSIER_COLUMNS,
    PROCEDURE_COLUMNS,
    DossierContext,
    DossierRowChecker,
    Layout,
    Problems,
    ProcedureRowChecker,
    RowChecker,
    header_key,
    resolve_layout,
)
from trongtam.dossiers.domain.import_readers import (
    FileUnreadable,
    RowReader,
    file_problem,
    first_bytes,
    format_of,
    open_reader,
)
from trongtam.dossiers.domain.queries import units_entering_for
from trongtam.dossiers.enums import ImportKind, ImportStatus, Source
from trongtam.dossiers.models import Dossier, ImportJob, Procedure
from trongtam.org.enums import Role
from trongtam.org.models import Unit
from trongtam.workdays.domain.queries import work_calendar

logger = logging.getLogger(__name__)

MAX_SHOWN_ERRORS = 200
BATCH_SIZE = 2000
PROGRESS_EVERY = 5000
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024  # a large province's year of dossiers is about 600 MB of CSV

# The columns an import writes and compares: a row whose values equal these is unchanged.
DOSSIER_COMPARED = (
    "unit_id",
    "procedure_id",
    "channel",
    "status",
    "applicant_name",
    "applicant_kind",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "submitted_at",
    "received_at",
    "received_on",
    "due_date",
    "paused_days",
    "supplement_requested_on",
    "supplement_received_on",
    "finished_on",
    "returned_on",
    "refusal_reason",
)
PROCEDURE_COMPARED = ("name", "field", "level", "processing_days", "is_active")
PERMISSION = {
    ImportKind.DOSSIERS: "dossiers.import_dossiers",
    ImportKind.PROCEDURES: "dossiers.manage_procedures",
}


def max_import_bytes() -> int:
    return int(getattr(settings, "DOSSIERS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _RolledBack(Exception):
    """Raised inside the writing transaction to undo it; the problems are on the import."""


# -- the temporary table of codes ------------------------------------------------------------------------------


class CodeStaging:
    """A temporary table of (code, row) for one import: duplicates inside the file found by one query, whatever
    the number of rows. Temporary tables belong to the connection and vanish with it; it is also dropped here."""

    def __init__(self, job_id: int) -> None:
        self.table = f"tt_import_codes_{int(job_id)}"
        self.pending: list[tuple[str, int]] = []

    def __enter__(self) -> CodeStaging:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (code VARCHAR(100) NOT NULL, row_no INTEGER NOT NULL)"
            )
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def add(self, code: str, row: int) -> None:
        self.pending.append((code, row))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            insert_rows(self.table, ["code", "row_no"], self.pending)
            self.pending = []

    def duplicates(self, limit: int) -> tuple[list[tuple[int, str, int]], int]:
        """The first `limit` rows repeating a code of an earlier row, as (row, code, first row), and how many."""
        self.flush()
        t = self.table
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {t}_code ON {t} (code, row_no)")
            cursor.execute(f"SELECT COUNT(*) - COUNT(DISTINCT code) FROM {t}")  # noqa: S608 -- our own table name
            total = int(cursor.fetchone()[0])
            if not total:
                return [], 0
            cursor.execute(
                f"SELECT s.row_no, s.code, f.first_row FROM {t} s "  # noqa: S608 -- our own table name
                f"JOIN (SELECT code, MIN(row_no) AS first_row FROM {t} GROUP BY code HAVING COUNT(*) > 1) f "
                "ON f.code = s.code WHERE s.row_no > f.first_row ORDER BY s.row_no LIMIT %s",
                [limit],
            )
            return [(int(r), str(c), int(f)) for r, c, f in cursor.fetchall()], total


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` (values already adapted for the database): PostgreSQL's COPY, else one `executemany`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608 -- our names


# -- audit in batches ------------------------------------------------------------------------------------------


# -- the kinds of file -----------------------------------------------------------------------------------------


def _field_name(attname: str) -> str:
    return attname.removesuffix("_id") if attname in ("unit_id", "procedure_id") else attname


def _dossier_context(job: ImportJob, actor: Any) -> DossierContext:
    allowed = frozenset(units_entering_for(actor).values_list("pk", flat=True)) if actor is not None else None
    return DossierContext(
        procedures={
            code: (pk, days)
            for pk, code, days in Procedure.objects.values_list("pk", "code", "processing_days")
        },
        units={code: (pk, name) for pk, code, name in Unit.objects.values_list("pk", "code", "name")},
        allowed_unit_ids=allowed,
        default_unit_id=job.unit_id,
        calendar=work_calendar(),
    )


def _checker(job: ImportJob, actor: Any, layout: Layout, problems: Problems) -> RowChecker:
    if job.kind == ImportKind.PROCEDURES:
        return ProcedureRowChecker(layout, problems)
    return DossierRowChecker(layout, problems, _dossier_context(job, actor))


class DossierWriter:
    """Writes batches of checked dossier rows with one `executemany` per statement.

    The ORM's `bulk_create` and `bulk_update` spend far more time compiling SQL than the database spends writing
    (and SQLite's limit on parameters cuts a batch into inserts of a few dozen rows), which would make a year of a
    province's dossiers an hour's import. The statements are built from the model's fields, each value adapted by
    the database backend as the ORM adapts it; `Dossier.derived()` fills the search columns as for any write.
    """

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        meta = Dossier._meta
        quote = connection.ops.quote_name
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.adapters = [_adapter(f) for f in self.fields]
        self.table = quote(meta.db_table)
        self.columns = [quote(f.column) for f in self.fields]
        by_attname = {f.attname: f for f in meta.concrete_fields}
        self.updated = [
            by_attname[n] for n in (*DOSSIER_COMPARED, "version", "updated_at", "search_text", "phone_last4")
        ]
        self.update_adapters = [_adapter(f) for f in self.updated]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in self.updated)
        self.update_sql = (
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 -- model's names
        )
        self.scratch = Dossier()

    def _derived(self, values: dict[str, Any]) -> tuple[str, str]:
        scratch = self.scratch
        scratch.code, scratch.applicant_name = values["code"], values["applicant_name"]
        scratch.applicant_phone = values["applicant_phone"]
        scratch.derived()
        return scratch.search_text, scratch.phone_last4

    def write(self, batch: list[dict[str, Any]], counts: Counts) -> None:
        existing = {
            row[1]: row
            for row in Dossier.objects.filter(code__in=[v["code"] for v in batch]).values_list(
                "pk", "code", "version", *DOSSIER_COMPARED
            )
        }
        now = timezone.now()
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        audited: list[tuple[Model, audit.Changes]] = []
        for values in batch:
            row = existing.get(values["code"])
            search_text, phone_last4 = self._derived(values)
            if row is None:
                full = {
                    **values,
                    "source": Source.IMPORT.value,
                    "version": 1,
                    "appointment_date": None,
                    "created_at": now,
                    "updated_at": now,
                    "search_text": search_text,
                    "phone_last4": phone_last4,
                }
                inserts.append(
                    [_adapt(a, full[f.attname]) for f, a in zip(self.fields, self.adapters, strict=True)]
                )
                continue
            diff = {
                _field_name(name): [before, values[name]]
                for name, before in zip(DOSSIER_COMPARED, row[3:], strict=True)
                if before != values[name]
            }
            if not diff:
                counts.unchanged += 1
                continue
            after = [values[name] for name in DOSSIER_COMPARED] + [row[2] + 1, now, search_text, phone_last4]
            updates.append(
                [*(_adapt(a, v) for a, v in zip(self.update_adapters, after, strict=True)), row[0]]
            )
            audited.append((Dossier(pk=row[0], code=row[1]), diff))
        if inserts:
            insert_rows(self.table, self.columns, inserts)
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(self.update_sql, updates)
        counts.created += len(inserts)
        counts.updated += len(updates)
        audit.record_many(actor=self.actor, action=AuditAction.IMPORT, items=audited)


def _adapter(field: Any) -> Any:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _adapt(adapter: Any, value: Any) -> Any:
    return value if adapter is None or value is None else adapter(value)


class ProcedureWriter:
    """The catalog is small: the ORM's bulk writes, and an audit entry for every procedure created or changed."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def write(self, batch: list[dict[str, Any]], counts: Counts) -> None:
        _write_procedures(batch, self.actor, counts)


def _write_procedures(batch: list[dict[str, Any]], actor: Any, counts: Counts) -> None:
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[v["code"] for v in batch])}
    created: list[Procedure] = []
    changed: list[Procedure] = []
    audited: list[tuple[Model, audit.Changes]] = []
    for values in batch:
        procedure = existing.get(values["code"])
        if procedure is None:
            procedure = Procedure(**values).derived()
            created.append(procedure)
            continue
        diff: audit.Changes = {}
        for name in PROCEDURE_COMPARED:
            before, after = getattr(procedure, name), values[name]
            if before != after:
                diff[name] = [before, after]
                setattr(procedure, name, after)
        if not diff:
            counts.unchanged += 1
            continue
        changed.append(procedure.derived())
        audited.append((procedure, diff))
    if created:
        Procedure.objects.bulk_create(created)
        counts.created += len(created)
        audited.extend((p, {k: [None, v] for k, v in _procedure_values(p).items()}) for p in created)
    if changed:
        Procedure.objects.bulk_update(changed, [*PROCEDURE_COMPARED, "search_text"])
        counts.updated += len(changed)
    audit.record_many(actor=actor, action=AuditAction.IMPORT, items=audited)


def _procedure_values(procedure: Procedure) -> dict[str, Any]:
    return {"code": procedure.code, **{name: getattr(procedure, name) for name in PROCEDURE_COMPARED}}


# -- the two passes ----------------------------------------------------------------------------------------------


def _checked_rows(
    reader: RowReader, checker: RowChecker, problems: Problems
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Each data row's number and values (None when the row has a problem); a file that stops being readable
    ends the rows with its problem."""
    try:
        for number, cells in reader.rows():
            yield number, checker.check(number, cells)
    except FileUnreadable as exc:
        problems.add(exc.row, exc.column, exc.message)


def _progress(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _forget_queries() -> None:
    """With DEBUG on, Django keeps the text of the last 9,000 queries; a batch's lookup by 2,000 codes is tens of
    kilobytes, so the log alone would grow with the file. Cleared per batch, as a request clears it."""
    if settings.DEBUG:
        reset_queries()


def _check_pass(job: ImportJob, reader: RowReader, checker: RowChecker, problems: Problems) -> int:
    """Read every row once, committing the progress as it goes; returns the number of data rows."""
    rows = 0
    key_header = checker.headers["code"]
    with CodeStaging(job.pk) as staging:
        for number, values in _checked_rows(reader, checker, problems):
            rows += 1
            if values is not None:
                staging.add(values["code"], number)
            if rows % PROGRESS_EVERY == 0:
                _progress(job, rows_done=rows, rows_total=max(job.rows_total, rows))
                _forget_queries()
        duplicates, total = staging.duplicates(problems.limit)
    # The first problems by row, whether a row's own or a repeated code.
    shown = problems.shown + [
        {
            "row": row,
            "column": key_header,
            "message": _("Mã «%(code)s» trùng với dòng %(first)d của tệp.") % {"code": code, "first": first},
        }
        for row, code, first in duplicates
    ]
    shown.sort(key=lambda p: p["row"] or 0)
    problems.shown = shown[: problems.limit]
    problems.total += total
    return rows


def _write_pass(job: ImportJob, reader: RowReader, layout: Layout, actor: Any) -> Counts:
    """Inside one transaction: the rows again, checked against the database as it is now, written by batch."""
    problems = Problems(MAX_SHOWN_ERRORS)
    checker = _checker(job, actor, layout, problems)
    writer = ProcedureWriter(actor) if job.kind == ImportKind.PROCEDURES else DossierWriter(actor)
    write = writer.write
    counts = Counts()
    batch: list[dict[str, Any]] = []
    for _number, values in _checked_rows(reader, checker, problems):
        if values is not None and not problems.total:
            batch.append(values)
            if len(batch) >= BATCH_SIZE:
                write(batch, counts)
                batch = []
                _forget_queries()
    if problems.total:
        job.errors = problems.shown
        raise _RolledBack
    if batch:
        write(batch, counts)
    return counts


def _fail(job: ImportJob, problems: Problems, rows: int | None = None) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.errors = problems.shown
    job.created_count = job.updated_count = job.unchanged_count = 0
    if rows is not None:
        job.rows_total = job.rows_done = rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "errors",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rows_total",
            "rows_done",
            "finished_at",
        ]
    )
    _remember_total(job, problems.total)
    return job


def _remember_total(job: ImportJob, total: int) -> None:
    """The number of problems, kept after the listed ones when more were found than are listed."""
    if total > len(job.errors):
        message = _("Tệp có tất cả %(total)s lỗi; chỉ liệt kê %(shown)s lỗi đầu tiên.") % {
            "total": number_format(total, force_grouping=True),
            "shown": len(job.errors),
        }
        job.errors = [*job.errors, {"row": None, "column": "", "message": message, "total": total}]
        ImportJob.objects.filter(pk=job.pk).update(errors=job.errors)


def error_total(job: ImportJob) -> int:
    """How many problems the import found (more may have been found than `shown_errors` lists)."""
    for entry in job.errors:
        if "total" in entry:
            return int(entry["total"])
    return len(job.errors)


def shown_errors(job: ImportJob) -> list[dict[str, Any]]:
    return [e for e in job.errors if "total" not in e]


def run_import(job: ImportJob, binary: IO[bytes], *, name: str, size: int) -> ImportJob:
    """Check then write the file `binary` for `job` (status RUNNING), as its creator (None: the operator's
    command, for every unit). The job ends DONE with its counts, or FAILED with its problems and nothing
    written."""
    actor = job.created_by
    problems = Problems(MAX_SHOWN_ERRORS)
    if actor is not None and not actor.has_perm(PERMISSION[ImportKind(job.kind)]):
        problems.add(None, "", _("Bạn không có quyền nhập loại dữ liệu này."))
        return _fail(job, problems)
    refused = file_problem(name, size, first_bytes(binary), max_import_bytes())
    if refused:
        problems.add(None, "", refused)
        return _fail(job, problems)
    try:
        reader = open_reader(binary, name, size)
    except FileUnreadable as exc:
        problems.add(exc.row, exc.column, exc.message)
        return _fail(job, problems)
    _progress(job, rows_total=reader.estimated_rows(), rows_done=0)
    columns = PROCEDURE_COLUMNS if job.kind == ImportKind.PROCEDURES else DOSSIER_COLUMNS
    optional = frozenset({"unit"}) if job.unit_id else frozenset()
    layout = resolve_layout(reader.headers, columns, job.mapping or {}, problems, optional_fields=optional)
    if layout is None:
        return _fail(job, problems)
    if (
        job.kind == ImportKind.DOSSIERS
        and job.unit_id
        and actor is not None
        and not units_entering_for(actor).filter(pk=job.unit_id).exists()
    ):
        problems.add(None, "", _("Bạn không được nhập hồ sơ cho đơn vị đã chọn."))
        return _fail(job, problems)
    checker = _checker(job, actor, layout, problems)
    rows = _check_pass(job, reader, checker, problems)
    if rows == 0 and not problems.total:
        problems.add(2, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if problems.total:
        return _fail(job, problems, rows)
    _progress(job, rows_total=rows, rows_done=rows)  # every row checked: the page now says "writing"
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # The rows this transaction inserts are in no statistics yet: without this, the planner would read
                # the lookups by code as scans of a table it believes empty, slower with every batch.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_seqscan = off")
            counts = _write_pass(job, reader, layout, actor)
            job.status = ImportStatus.DONE
            job.created_count, job.updated_count, job.unchanged_count = (
                counts.created,
                counts.updated,
                counts.unchanged,
            )
            job.errors = []
            job.finished_at = timezone.now()
            job.save(
                update_fields=[
                    "status",
                    "created_count",
                    "updated_count",
                    "unchanged_count",
                    "errors",
                    "finished_at",
                ]
            )
            if counts.created or counts.updated:
                audit.record(
                    actor=actor,
                    action=AuditAction.IMPORT,
                    instance=job,
                    changes={
                        "created_count": [0, counts.created],
                        "updated_count": [0, counts.updated],
                        "unchanged_count": [0, counts.unchanged],
                    },
                )
    except _RolledBack:
        failed = Problems(MAX_SHOWN_ERRORS)
        failed.add(
            None,
            "",
            _("Danh mục hoặc dữ liệu vừa thay đổi trong lúc nhập nên chưa ghi dòng nào. Hãy nhập lại tệp."),
        )
        for entry in job.errors:
            failed.add(entry["row"], entry["column"], entry["message"])
        return _fail(job, failed, rows)
    except IntegrityError:
        logger.warning("import %s: integrity error while writing", job.pk, exc_info=True)
        failed = Problems(MAX_SHOWN_ERRORS)
        failed.add(
            None,
            "",
            _(
                "Một lần nhập khác vừa ghi cùng mã hồ sơ trong lúc tệp này được ghi, nên chưa ghi dòng nào. "
                "Hãy nhập lại tệp: các dòng đã có sẽ được so sánh và cập nhật."
            ),
        )
        return _fail(job, failed, rows)
    return job


def claim(job_id: int) -> ImportJob | None:
    """Take a queued job for this worker (compare-and-set): None if another worker has it, or it is done."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    ):
        return None
    return ImportJob.objects.select_related("created_by", "unit").get(pk=job_id)


def run_job(job_id: int) -> ImportJob | None:
    """Run the queued import `job_id` on its stored file; None when it was not queued (already run)."""
    job = claim(job_id)
    if job is None:
        return None
    try:
        with job.file.open("rb") as binary:
            return run_import(job, binary, name=job.original_name, size=job.file.size)
    except Exception:
        problems = Problems(MAX_SHOWN_ERRORS)
        problems.add(
            None, "", _("Lỗi hệ thống khi nhập tệp; chưa ghi dòng nào. Quản trị viên đã được ghi nhận lỗi.")
        )
        _fail(job, problems)
        raise


# -- starting an import ------------------------------------------------------------------------------------------


def may_import(user: Any) -> bool:
    """May open the import pages: for dossiers, or for the procedure catalog."""
    return any(user.has_perm(perm) for perm in PERMISSION.values())


def kinds_for(user: Any) -> list[ImportKind]:
    return [kind for kind, perm in PERMISSION.items() if user.has_perm(perm)]


def jobs_visible_to(user: Any) -> QuerySet[ImportJob]:
    """The imports a person may follow: their own; every import for the administrator."""
    jobs = ImportJob.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return jobs.none()
    if user.role == Role.ADMIN:
        return jobs
    return jobs.filter(created_by=user)


def start_import(
    *, kind: ImportKind, upload: Any, by: Any, unit: Unit | None = None, mapping: dict[str, str] | None = None
) -> ImportJob:
    """Store the uploaded file as a queued import and hand it to the worker once the transaction commits.

    Raises PermissionDenied when `by` may not import this kind (or for `unit`), RuleViolations (field "file",
    "unit" or "mapping") for a file refused on sight, a unit or a mapping that does not fit."""
    from trongtam.dossiers.jobs import task_run_import

    if not by.has_perm(PERMISSION[kind]):
        raise PermissionDenied
    problems: list[Problem] = []
    name = PurePath(upload.name or "").name
    problem = file_problem(name, upload.size or 0, first_bytes(upload), max_import_bytes())
    if problem:
        problems.append(Problem(problem, "file"))
    if unit is not None and (
        kind != ImportKind.DOSSIERS or not units_entering_for(by).filter(pk=unit.pk).exists()
    ):
        problems.append(
            Problem(_("Bạn không được nhập hồ sơ cho đơn vị «%(unit)s».") % {"unit": unit.name}, "unit")
        )
    mapping = {
        field: header.strip() for field, header in (mapping or {}).items() if header and header.strip()
    }
    fields = {c.field: c for c in (PROCEDURE_COLUMNS if kind == ImportKind.PROCEDURES else DOSSIER_COLUMNS)}
    for field in mapping:
        if field not in fields:
            problems.append(
                Problem(
                    _("Không có trường «%(field)s»; các trường: %(fields)s.")
                    % {"field": field, "fields": ", ".join(fields)},
                    "mapping",
                )
            )
    seen: dict[str, str] = {}
    for field, header in mapping.items():
        key = header_key(header)
        if key in seen and field in fields and seen[key] in fields:
            problems.append(
                Problem(
                    _("Cột «%(header)s» được chọn cho cả «%(a)s» và «%(b)s».")
                    % {"header": header, "a": fields[seen[key]].label, "b": fields[field].label},
                    "mapping",
                )
            )
        seen[key] = field
    if problems:
        raise RuleViolations(problems)
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            original_name=name[:255],
            file_format=format_of(name),
            mapping=mapping,
            unit=unit,
            created_by=by,
        )
        job.file.save(name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: task_run_import.enqueue(job_id=job.pk))
    return job
