"""Configuration comes from the environment; bad values stop the process with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "portal.socore.eu",
    "CSRF_TRUSTED_ORIGINS": "https://portal.socore.eu",
    "EMAIL_URL": "smtp://mailer:secret@smtp.socore.eu:587/?tls=True",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    for name, value in env.items():
        if value is None:
            environment.pop(name)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("SECRET_KEY", "short", "SECRET_KEY (or SECRET_KEY_FILE) must be set"),
        ("REDIS_URL", "http://127.0.0.1:6379", "REDIS_URL must be redis://"),
        ("CSRF_TRUSTED_ORIGINS", "portal.socore.eu", "CSRF_TRUSTED_ORIGINS entries need a scheme"),
        ("CONN_MAX_AGE", "forever", "CONN_MAX_AGE has an invalid value"),
        ("DATABASE_URL", "mysql://root@127.0.0.1/socore", "DATABASE_URL must point to PostgreSQL"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(variable, value, message):
    result = manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64))
    env = {**PRODUCTION, "SECRET_KEY": None, "SECRET_KEY_FILE": str(key_file)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
