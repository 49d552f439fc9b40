"""The audit trail: append an entry for every create, change and transition; verify the chain.

Call `record(...)` inside the transaction that makes the change, so the entry and the change commit together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core.errors import StaleEdit
from trongtam.core.models import AuditAction, AuditChainHead, AuditEntry

Changes = dict[str, list[Any]]


def jsonable(value: Any) -> Any:
    """A JSON value that reads the same after a round-trip through the database."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: Model, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields` (foreign keys as ids, many-to-many as sorted id lists)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            values[name] = sorted(str(pk) for pk in getattr(instance, name).values_list("pk", flat=True))
        elif isinstance(field, models.ForeignKey):
            values[name] = jsonable(getattr(instance, field.attname))
        else:
            values[name] = jsonable(getattr(instance, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """Fields whose value changed, as {field: [before, after]}."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _digest(entry_fields: dict[str, Any], prev_hash: str) -> str:
    payload = json.dumps(entry_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "root_type": entry.root_type,
        "root_id": entry.root_id,
        "changes": entry.changes,
    }


def _label(instance: Model) -> str:
    return instance._meta.label_lower


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def record_many(
    *, actor: Any, action: AuditAction, items: Sequence[tuple[Model, Changes]]
) -> list[AuditEntry]:
    """Append one entry per (instance, changes) to the chain, each shown on the instance's own page: one lock of
    the chain's head and one insert for the batch, the same entries and hashes as one `record` per item."""
    if not items:
        return []
    with transaction.atomic():
        head = _locked_head()
        has_actor = bool(getattr(actor, "pk", None))
        actor_name = (actor.get_full_name() or actor.get_username()) if has_actor else ""
        at = timezone.now()
        seq, prev = head.last_seq, head.last_hash
        entries = []
        for instance, changes in items:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=at,
                actor=actor if has_actor else None,
                actor_name=actor_name,
                action=action,
                object_type=_label(instance),
                object_id=str(instance.pk),
                object_repr=str(instance)[:300],
                root_type=_label(instance),
                root_id=str(instance.pk),
                changes=jsonable(changes),
                prev_hash=prev,
            )
            entry.hash = prev = _digest(_hashed_fields(entry), prev)
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])
    return entries


def record(
    *,
    actor: Any,
    action: AuditAction,
    instance: Model,
    changes: Changes,
    root: Model | None = None,
) -> AuditEntry:
    """Append one entry to the chain for `instance` (shown on `root`'s page, by default the instance's own)."""
    root = root or instance
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else "",
            action=action,
            object_type=_label(instance),
            object_id=str(instance.pk),
            object_repr=str(instance)[:300],
            root_type=_label(root),
            root_id=str(root.pk),
            changes=jsonable(changes),
            prev_hash=head.last_hash,
        )
        entry.hash = _digest(_hashed_fields(entry), entry.prev_hash)
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def entries_for(root: Model) -> models.QuerySet[AuditEntry]:
    """Every entry shown on `root`'s page, oldest first."""
    return AuditEntry.objects.filter(root_type=_label(root), root_id=str(root.pk)).select_related("actor")


def stale_edit(root: Model, *, now: str = "", children_count: bool = False) -> StaleEdit:
    """The refusal of a write sent against an old version of `root` (HTTP 409), in the same words everywhere.

    It names who changed the record last and when: the latest audit entry of the record itself, or, with
    `children_count`, of its whole page -- for records whose version also rises when a child changes (a
    registration and its tasks). With `now`, it says how the record stands at present.
    """
    entries = (
        entries_for(root)
        if children_count
        else AuditEntry.objects.filter(object_type=_label(root), object_id=str(root.pk))
    )
    last = entries.order_by("-seq").first()
    if last is None:
        return StaleEdit()
    message = _(
        "%(name)s vừa thay đổi «%(record)s» lúc %(time)s, sau khi bạn mở trang. Thay đổi của bạn chưa được lưu; "
        "nội dung bạn nhập vẫn được giữ lại."
    ) % {
        "name": last.actor_name or _("Người khác"),
        "record": str(root)[:120],
        "time": date_format(timezone.localtime(last.at), "SHORT_DATETIME_FORMAT"),
    }
    if now:
        message += " " + _("Hiện nay: %(now)s.") % {"now": now}
    return StaleEdit(message + " " + _("Hãy xem bản mới nhất rồi gửi lại."))


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(batch_size: int = 2000) -> ChainBreak | None:
    """Recompute every hash in order; return the first entry that does not match, or None if the chain holds."""
    prev_hash = ""
    expected_seq = 1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"thiếu mục số {expected_seq} (mục tiếp theo là {entry.seq})")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.seq, "mã băm của mục trước không khớp (mục trước đã bị sửa hoặc xoá)")
        if _digest(_hashed_fields(entry), entry.prev_hash) != entry.hash:
            return ChainBreak(entry.seq, "nội dung mục đã bị sửa sau khi ghi")
        prev_hash = entry.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != expected_seq - 1:
        return ChainBreak(expected_seq, f"các mục cuối đã bị xoá (chuỗi ghi nhận đến mục {head.last_seq})")
    return None
