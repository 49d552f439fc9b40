"""Checking an uploaded file before anything is stored: its size, its extension and what its bytes say it is."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# extension -> the leading bytes a real file of that type starts with
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EVIDENCE_TYPES = frozenset({"pdf", "png", "jpg", "jpeg", "docx", "xlsx"})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def upload_problem(upload: Any, allowed: frozenset[str], max_bytes: int | None = None) -> str | None:
    """Why `upload` is refused, in Vietnamese, or None if it is acceptable."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if upload.size == 0:
        return _("Tệp «%(name)s» rỗng.") % {"name": name}
    if upload.size > limit:
        return _("Tệp «%(name)s» có dung lượng %(size)s MB, vượt giới hạn %(limit)s MB.") % {
            "name": name,
            "size": _megabytes(upload.size),
            "limit": _megabytes(limit),
        }
    if extension not in allowed:
        return _("Tệp «%(name)s» không thuộc loại được nhận (%(allowed)s).") % {
            "name": name,
            "allowed": ", ".join(sorted(allowed)),
        }
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        return _("Nội dung tệp «%(name)s» không phải là tệp %(kind)s thật.") % {
            "name": name,
            "kind": extension.upper(),
        }
    return None


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lower().lstrip("."), "application/octet-stream")


def stored_file_response(stored: Any, name: str = "") -> FileResponse:
    """An uploaded file, read through the storage API, for a view that has checked who may see it: files are
    never served from a public media URL. Opened in the browser (PDF, images) under `name` or its stored name."""
    if not stored:
        raise Http404
    shown = name or PurePath(stored.name).name
    return FileResponse(
        stored.open("rb"), as_attachment=False, filename=shown, content_type=content_type_of(shown)
    )
