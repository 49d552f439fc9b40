import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_the_database_answering() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
