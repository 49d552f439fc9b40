import pytest
from django.core.management import CommandError, call_command

from trongtam.core.audit import record, record_many, verify_chain
from trongtam.core.models import AuditAction, AuditEntry
from trongtam.org.models import Person, Unit


@pytest.mark.django_db
def test_the_seeded_chain_verifies() -> None:
    assert AuditEntry.objects.exists()
    assert verify_chain() is None


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm() -> None:
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry is not None
    entry.actor_name = "Người khác"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.django_db
def test_editing_a_stored_entry_is_detected_and_named() -> None:
    target = AuditEntry.objects.order_by("seq")[5]
    # Tamper below the ORM's guard, as someone with database access would.
    AuditEntry.objects.filter(pk=target.pk).update(changes={"status": ["draft", "approved"]})

    broken = verify_chain()
    assert broken is not None
    assert broken.seq == target.seq
    with pytest.raises(CommandError, match=f"mục số {target.seq}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleting_an_entry_in_the_middle_is_detected() -> None:
    target = AuditEntry.objects.order_by("seq")[3]
    AuditEntry.objects.filter(pk=target.pk)._raw_delete(AuditEntry.objects.db)
    broken = verify_chain()
    assert broken is not None
    assert broken.seq == target.seq


@pytest.mark.django_db
def test_deleting_the_last_entries_is_detected() -> None:
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    AuditEntry.objects.filter(pk=last.pk)._raw_delete(AuditEntry.objects.db)
    broken = verify_chain()
    assert broken is not None
    assert broken.seq == last.seq


@pytest.mark.django_db
def test_verify_audit_reports_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_batch_appends_the_same_chain_as_one_entry_at_a_time() -> None:
    actor = Person.objects.get(username="vanphong")
    units = list(Unit.objects.order_by("pk")[:3])
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None

    batch = record_many(
        actor=actor, action=AuditAction.IMPORT, items=[(u, {"name": ["", u.name]}) for u in units[:2]]
    )
    single = record(actor=actor, action=AuditAction.IMPORT, instance=units[2], changes={"name": ["", "x"]})

    stored = list(AuditEntry.objects.filter(seq__gt=last.seq).order_by("seq"))
    assert [e.seq for e in stored] == [last.seq + 1, last.seq + 2, last.seq + 3]
    assert [e.object_id for e in stored] == [str(u.pk) for u in units]
    assert stored[0].prev_hash == last.hash
    assert stored[1].prev_hash == batch[0].hash
    assert single.prev_hash == batch[1].hash
    assert verify_chain() is None
    assert record_many(actor=actor, action=AuditAction.IMPORT, items=[]) == []
