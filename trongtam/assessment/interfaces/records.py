"""The records behind automatic criteria, by kind: how a score sheet names them and links to them.

A metric returns the ids of the records that cost points with their kind ("app_label.model", `MetricValue`); the
sheet page links each to its page and the API gives its path. Each module's kinds are listed here, with the field
that names a record and the field that gives the id its page is addressed by (an inspection's violations are shown
on the inspection's page, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class RecordKind:
    model: str  # "app_label.Model"
    title_field: str
    url_name: str
    api_path: str  # formatted with pk=<the value of `url_field`>
    url_field: str = "pk"


RECORD_KINDS: dict[str, RecordKind] = {
    "followup.task": RecordKind("followup.Task", "title", "followup:task-detail", "/tasks/{pk}"),
    "dossiers.dossier": RecordKind("dossiers.Dossier", "code", "dossiers:dossier-detail", "/dossiers/{pk}"),
    "inspections.violation": RecordKind(
        "inspections.Violation",
        "description",
        "inspections:inspection-detail",
        "/inspections/{pk}",
        "inspection_id",
    ),
    "supervision.recommendation": RecordKind(
        "supervision.Recommendation",
        "title",
        "supervision:recommendation-detail",
        "/supervision/recommendations/{pk}",
    ),
    "feedback.feedback": RecordKind(
        "feedback.Feedback", "tracking_code", "feedback:feedback-detail", "/feedback/{pk}"
    ),
}


@dataclass(frozen=True)
class Record:
    title: str
    url: str
    api_path: str


def record_details(wanted: Mapping[str, Iterable[Any]]) -> dict[tuple[str, str], Record]:
    """The title, page and API path of each wanted record, by (kind, id): one query per kind of record."""
    found: dict[tuple[str, str], Record] = {}
    for kind, ids in wanted.items():
        spec = RECORD_KINDS.get(kind)
        if spec is None:
            continue
        model = apps.get_model(spec.model)
        rows = model.objects.filter(pk__in=list(ids)).values_list("pk", spec.title_field, spec.url_field)
        for pk, title, address in rows:
            found[kind, str(pk)] = Record(
                str(title), reverse(spec.url_name, args=[address]), spec.api_path.format(pk=address)
            )
    return found
