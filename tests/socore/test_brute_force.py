"""Brute force and account enumeration.

Guessing runs out: wrong passwords (per account and per client address), wrong emailed
codes and wrong TOTP codes, counted by allauth in the cache every web process shares (Redis
when REDIS_URL is set, as in CI; the database cache otherwise). Sign-up, sign-in, code
request and password reset answer a known and an unknown address alike: the same status,
the same page apart from the typed address, and no difference of time one can measure.
"""

import datetime
import re
import statistics
import time

import pytest
import time_machine
from django.conf import global_settings, settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from partners.models import User
from tests.factories.accounts import PASSWORD, UserFactory
from tests.partners.test_accounts import current_totp_code, emailed_code

pytestmark = pytest.mark.django_db

TOO_MANY_SIGN_INS = "Too many failed login attempts"


def signed_in(client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def sign_in(client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def rate_limit_entries() -> int:
    """allauth's counters as the shared cache holds them, read past this process: straight
    from Redis, or from the database cache's table."""
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        import redis

        server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        try:
            return sum(1 for _key in server.scan_iter(match="*allauth:rl:*"))
        finally:
            server.close()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
        cursor.execute(f"SELECT count(*) FROM {table} WHERE cache_key LIKE %s", ["%allauth:rl:%"])  # noqa: S608 - the table name is our setting
        return cursor.fetchone()[0]


# Guessing runs out -----------------------------------------------------------------------


def test_wrong_passwords_for_one_account_run_out_in_the_shared_cache(client):
    user = UserFactory(email="target@example.org")
    assert rate_limit_entries() == 0

    answers = [sign_in(client, user.email, f"guess-{n}").content.decode() for n in range(5)]
    assert all("not correct" in html for html in answers)

    # The sixth try is refused before the password is looked at, even the right one, and
    # however the address is written.
    html = sign_in(client, "TARGET@example.org", PASSWORD).content.decode()
    assert TOO_MANY_SIGN_INS in html
    assert not signed_in(client)
    # Counted where every web process reads it (read here past this process), so guesses
    # spread over several web processes add up.
    assert rate_limit_entries() > 0
    # Another account is not locked by them.
    other = UserFactory(email="bystander@example.org")
    assert sign_in(Client(), other.email, PASSWORD).status_code == 302

    # The limit lasts five minutes, then the owner signs in.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5, seconds=5)):
        assert sign_in(client, user.email, PASSWORD).status_code == 302
        assert signed_in(client)


def test_wrong_passwords_across_accounts_from_one_address_run_out_behind_the_proxy(
    client, settings
):
    """Ten wrong passwords a minute per client address, whatever the accounts; a client
    forging X-Forwarded-For behind the TLS proxy is still counted at the address the proxy
    saw."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = UserFactory(email="victim@example.org")
    through_proxy = {"REMOTE_ADDR": "10.0.0.2"}

    for n in range(10):
        forged = f"192.0.2.{n}, 203.0.113.7"
        html = sign_in(
            client,
            f"guess{n}@example.org",
            "password",
            HTTP_X_FORWARDED_FOR=forged,
            **through_proxy,
        ).content.decode()
        assert "not correct" in html

    refused = sign_in(
        client,
        victim.email,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
        **through_proxy,
    )
    assert TOO_MANY_SIGN_INS in refused.content.decode()
    assert not signed_in(client)
    # Someone else behind the same proxy signs in.
    other = Client()
    assert (
        sign_in(
            other, victim.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4", **through_proxy
        ).status_code
        == 302
    )


def test_wrong_emailed_sign_in_codes_run_out_and_the_code_is_then_worthless(client):
    user = UserFactory(email="occasional@example.org")
    response = client.post("/accounts/login/code/", {"email": user.email})
    confirm = response["Location"]
    code = emailed_code(mail.outbox[-1])

    for n in range(2):
        html = client.post(confirm, {"code": f"WRONG{n}"}).content.decode()
        assert "Incorrect code" in html
    # The third wrong guess ends the attempt, and the emailed code no longer signs in.
    third = client.post(confirm, {"code": "WRONG2"}, follow=True)
    assert TOO_MANY_SIGN_INS in third.content.decode()
    client.post(confirm, {"code": code})
    assert not signed_in(client)

    # New codes for the same address are limited too: three a minute.
    statuses = []
    for _ in range(4):
        mail.outbox.clear()
        Client().post("/accounts/login/code/", {"email": user.email})
        statuses.append(len(mail.outbox))
    assert statuses == [1, 1, 0, 0]


def test_wrong_sign_up_verification_codes_run_out(client):
    client.post(
        "/accounts/signup/",
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    code = emailed_code(mail.outbox[-1])
    for n in range(3):
        client.post("/accounts/confirm-email/", {"code": f"WRONG{n}"})
    client.post("/accounts/confirm-email/", {"code": code})

    user = User.objects.get(email="new.person@example.org")
    assert not user.emailaddress_set.get().verified
    assert not signed_in(client)


def test_wrong_totp_codes_run_out_and_then_even_the_right_code_is_refused(client, coordinator):
    response = sign_in(client, coordinator.email, PASSWORD)
    assert response["Location"] == "/accounts/2fa/authenticate/"

    for n in range(5):
        html = client.post("/accounts/2fa/authenticate/", {"code": f"{n:06d}"}).content.decode()
        assert "Incorrect code" in html

    with time_machine.travel(timezone.now(), tick=False):
        html = client.post(
            "/accounts/2fa/authenticate/", {"code": current_totp_code()}
        ).content.decode()
    assert TOO_MANY_SIGN_INS in html
    assert not signed_in(client)
    assert rate_limit_entries() > 0


# The same answer for a known and an unknown address ----------------------------------------

# Each flow: its address, and the fields it posts for an email.
FLOWS = {
    "sign-up": (
        "/accounts/signup/",
        lambda email: {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    ),
    "sign-in": ("/accounts/login/", lambda email: {"login": email, "password": "not-the-password"}),
    "code request": ("/accounts/login/code/", lambda email: {"email": email}),
    "password reset": ("/accounts/password/reset/", lambda email: {"email": email}),
}


def normalised(html: str, email: str) -> str:
    """The page as a reader compares it: the typed address, the per-response tokens (CSRF,
    CSP nonce) and the whitespace set aside."""
    html = html.replace(email, "EMAIL")
    html = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return " ".join(html.split())


def answer(path: str, data: dict, email: str) -> dict:
    """What a fresh visitor sees: status, where it leads, the page there, cookies set."""
    client = Client()
    response = client.post(path, data)
    seen = {
        "status": response.status_code,
        "location": response.get("Location"),
        "cookies": sorted(response.cookies),
        "mails": len(mail.outbox),
    }
    page = client.get(response["Location"]) if response.status_code == 302 else response
    seen["page status"] = page.status_code
    seen["page"] = normalised(page.content.decode(), email)
    return seen


@pytest.mark.parametrize("flow", FLOWS)
def test_known_and_unknown_addresses_get_the_same_answer(flow):
    UserFactory(email="known@example.org")
    path, data = FLOWS[flow]

    known = answer(path, data("known@example.org"), "known@example.org")
    mail.outbox.clear()
    cache.clear()
    unknown = answer(path, data("unknown@example.org"), "unknown@example.org")

    assert known == unknown


def test_a_wrong_emailed_code_answers_the_same_for_a_known_and_an_unknown_address():
    UserFactory(email="known@example.org")
    pages = []
    for email in ("known@example.org", "unknown@example.org"):
        client = Client()
        confirm = client.post("/accounts/login/code/", {"email": email})["Location"]
        answers = [client.post(confirm, {"code": "WRONG1"}) for _ in range(4)]
        pages.append(
            [
                (a.status_code, a.get("Location"), normalised(a.content.decode(), email))
                for a in answers
            ]
        )
    assert pages[0] == pages[1]


# Timing ---------------------------------------------------------------------------------

# The work that could tell a known address from an unknown one is a password hash (0.3 to
# 0.7 s with Django's default PBKDF2 on a busy 2-core machine, 5 to 10 times a request of
# these flows without one) or a like amount of other work done on one path only. Two
# answers are of one timing class when their medians differ by less than half of one hash
# timed at the same moment (so a busier machine widens both) and by less than a factor of
# 2. Noise measured between two medians of nine: up to 1.35 times and 20 ms.
TRIES = 9


def one_hash() -> float:
    durations = []
    for _ in range(3):
        started = time.perf_counter()
        make_password(PASSWORD)
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def median_times(path, data, emails) -> list[float]:
    """The median duration of each address's answer, tried in turn (so drift in the machine's
    load falls on both alike), each try a fresh visitor with no limit used."""
    durations = {email: [] for email in emails}
    for attempt in range(TRIES):
        for email in emails:
            cache.clear()
            client = Client()
            started = time.perf_counter()
            client.post(path, data(email.format(attempt=attempt)))
            durations[email].append(time.perf_counter() - started)
    return [statistics.median(durations[email]) for email in emails]


@pytest.mark.slow
@pytest.mark.parametrize("flow", FLOWS)
def test_known_and_unknown_addresses_take_the_same_time(flow, settings):
    # The deployment's hashers (the suite uses a fast one): a hash is the expensive step.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    path, data = FLOWS[flow]
    emails = ["known{attempt}@example.org", "unknown{attempt}@example.org"]
    # Measured twice when the first measure is off: one busy moment of the machine is
    # not a difference of paths, which is off every time.
    for measure in range(2):
        # A sign-up makes the unknown address known: each measure has addresses of its own.
        emails = [email.replace("@", f".{measure}@") for email in emails]
        for attempt in range(TRIES):
            UserFactory(email=emails[0].format(attempt=attempt))
        known, unknown = median_times(path, data, emails)
        hash_time = one_hash()
        same_class = abs(known - unknown) < hash_time / 2 and max(known, unknown) < 2 * min(
            known, unknown
        )
        if same_class:
            break
    assert same_class, (
        f"{flow}: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms "
        f"(one password hash: {hash_time * 1000:.0f} ms)"
    )


# With the cache unreachable ----------------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    """The shared cache pointed at a Redis port nobody listens on (as while Redis restarts)."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("the database cache is not a server that can be down")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }


def test_while_the_cache_is_down_pages_answer_and_no_limit_is_lifted(cache_down, client, staff):
    from practices.models import Status
    from tests.factories.practices import PracticeFactory

    practice = PracticeFactory(status=Status.PUBLISHED, created_by=staff)
    # Pages that read the cache are served from the database.
    assert client.get("/practices/").status_code == 200
    client.force_login(staff)
    assert client.get("/practices/mine/").status_code == 200
    client.logout()

    # What cannot be counted is refused: signing in (even with the right password), and the
    # public PDFs limited per address.
    assert sign_in(client, staff.email, PASSWORD).status_code == 429
    assert not signed_in(client)
    assert client.get(f"/practices/{practice.pk}/pdf/").status_code == 429
