"""/health/ when no worker answers: in a module of its own, so that no worker fixture of
this test process is running (each xdist worker has a broker of its own: no other
process's worker answers here either)."""

from socore.celery import app as celery_app


def test_health_is_503_naming_the_worker_when_none_answers(client, db, settings):
    assert celery_app.control.ping(timeout=1.0) == []  # the precondition, not skipped
    settings.HEALTH_TOKEN = "operators-token"
    assert client.get("/health/").json() == {"status": "ok"}  # the public answer: the database
    response = client.get("/health/", headers={"Authorization": "Bearer operators-token"})
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "worker": "unavailable",
    }
