"""Accounts: email identity, verification, sign-in by code, no enumeration, rate limits,
two-factor authentication for coordinators and admins, profile and language."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import mail
from django.utils import timezone

from partners.models import Membership, User
from tests.conftest import ROLES
from tests.factories.accounts import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def current_totp_code() -> str:
    """The code an authenticator app shows at this moment (call it with the clock frozen:
    the code is then still the current one when the form is sent)."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, counters[len(counters) // 2]))


def emailed_code(message) -> str:
    return re.search(r"^\s*([A-Z0-9][A-Z0-9-]{3,14})\s*$", message.body, re.MULTILINE).group(1)


def test_sign_up_needs_the_emailed_code_before_the_account_is_usable(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.person@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert client.get("/accounts/profile/").status_code == 302  # not signed in yet

    code = emailed_code(mail.outbox[-1])
    response = client.post("/accounts/confirm-email/", {"code": code})
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/accounts/profile/").status_code == 200


def test_sign_up_with_a_taken_address_reveals_nothing_and_tells_the_owner(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        "/accounts/signup/",
        {"email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox[-1].to == ["taken@example.org"]


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    UserFactory(email="known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_in_by_emailed_code(client):
    user = UserFactory(email="occasional@example.org")
    response = client.post("/accounts/login/code/", {"email": user.email})
    assert response.status_code == 302
    code = emailed_code(mail.outbox[-1])
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").context["user"] == user


def test_wrong_password_gives_an_error_next_to_the_form_and_keeps_the_email(client):
    UserFactory(email="someone@example.org")
    response = client.post(
        "/accounts/login/", {"login": "someone@example.org", "password": "wrong password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "not correct" in html
    assert 'value="someone@example.org"' in html


def test_repeated_failed_sign_ins_are_rate_limited(client):
    user = UserFactory(email="target@example.org")
    for _ in range(6):
        client.post("/accounts/login/", {"login": user.email, "password": "guess"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/accounts/profile/").status_code == 302


def test_coordinator_signs_in_with_a_totp_code(client, coordinator):
    response = client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/accounts/profile/").status_code == 302  # password alone is not enough
    # The clock stands still from computing the code to sending it: no period can end between.
    with time_machine.travel(timezone.now(), tick=False):
        response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_without_totp_are_sent_to_set_it_up(client, province, role):
    if role == "admin":
        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        user = MembershipFactory(partner=province, role="coordinator").user
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    for path in ("/", "/partners/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    # allauth confirms the password once more before showing the secret.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert "data:image/svg+xml" in response.content.decode()  # the QR code, drawn locally


def test_staff_and_respondents_are_not_forced_into_two_factor(client_as):
    for role in ("staff", "respondent"):
        assert client_as(role).get("/partners/").status_code == 200


def sent_to_totp_setup(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        "/accounts/2fa/totp/activate/"
    )


def test_staff_made_coordinator_is_asked_for_totp_on_the_next_request(client, staff):
    client.force_login(staff)
    assert client.get("/partners/").status_code == 200  # "not a coordinator" is now cached
    membership = Membership.objects.get(user=staff)
    membership.role = Membership.Role.COORDINATOR
    membership.save()
    assert sent_to_totp_setup(client.get("/partners/"))


def test_respondent_given_a_coordinator_membership_is_asked_for_totp_at_once(
    client, respondent, hu
):
    client.force_login(respondent)
    assert client.get("/partners/").status_code == 200
    MembershipFactory(user=respondent, partner=hu, role=Membership.Role.COORDINATOR)
    assert sent_to_totp_setup(client.get("/partners/"))


def test_coordinator_whose_role_is_removed_is_no_longer_held_at_totp_setup(client, province):
    user = MembershipFactory(partner=province, role=Membership.Role.COORDINATOR).user
    client.force_login(user)
    assert sent_to_totp_setup(client.get("/partners/"))
    Membership.objects.filter(user=user).delete()
    assert client.get("/partners/").status_code == 200


def test_admin_is_asked_for_totp_as_soon_as_made_superuser(client, staff):
    client.force_login(staff)
    assert client.get("/partners/").status_code == 200
    User.objects.filter(pk=staff.pk).update(is_superuser=True)
    assert sent_to_totp_setup(client.get("/partners/"))


def test_profile_saves_name_and_language_and_the_portal_speaks_it(client, staff):
    client.force_login(staff)
    response = client.post("/accounts/profile/", {"name": "Ewa Nowak", "language": "pl"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.name, staff.language) == ("Ewa Nowak", "pl")
    response = client.get("/partners/", headers={"accept-language": "en"})
    assert response["Content-Language"] == "pl"


def test_profile_rejects_an_unknown_language_and_keeps_the_name(client, staff):
    client.force_login(staff)
    response = client.post("/accounts/profile/", {"name": "Ewa Nowak", "language": "xx"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ewa Nowak"' in html
    assert "Select a valid choice" in html


def test_profile_lists_memberships(client, coordinator):
    client.force_login(coordinator)
    html = client.get("/accounts/profile/").content.decode()
    assert "Province of Silesia" in html
    assert "Regional coordinator" in html


def test_language_switch_is_remembered_for_a_signed_in_user(client, staff):
    client.force_login(staff)
    response = client.post("/i18n/setlang/", {"language": "lt", "next": "/partners/"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.language == "lt"


def test_browser_language_is_used_for_visitors(client):
    response = client.get("/", headers={"accept-language": "pl-PL,pl;q=0.9"})
    assert response["Content-Language"] == "pl"


def test_sign_out_everywhere_ends_the_other_sessions(client, staff):
    from django.test import Client

    other_device = Client()
    for browser in (client, other_device):
        browser.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
        assert browser.get("/accounts/profile/").status_code == 200
    assert UserSession.objects.filter(user=staff).count() == 2

    response = client.post("/accounts/sessions/")
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    assert other_device.get("/accounts/profile/").status_code == 302


def test_a_coordinators_session_ends_after_12_hours_unused_and_moves_with_use(
    client, coordinator, staff
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(coordinator)
        assert client.get("/campaigns/").status_code == 200
        assert client.session.get_expiry_age() == 12 * 3600
    # Used again after 11 h: the 12 h start again from there.
    with time_machine.travel(start + datetime.timedelta(hours=11), tick=False):
        assert client.get("/campaigns/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=22), tick=False):
        assert client.get("/campaigns/").status_code == 200
    # Then 12 h and a minute without a request: signed out.
    with time_machine.travel(start + datetime.timedelta(hours=34, minutes=1), tick=False):
        response = client.get("/campaigns/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Staff keep the usual session length.
    client.force_login(staff)
    client.get("/practices/mine/")
    assert client.session.get_expiry_age() > 12 * 3600


@pytest.mark.parametrize("role", ROLES)
def test_the_language_switch_works_for_every_role_and_a_signed_in_one_keeps_it(client_as, role):
    client = client_as(role)
    response = client.post("/i18n/setlang/", {"language": "ro", "next": "/partners/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ro"
    assert client.get("/partners/")["Content-Language"] == "ro"
    if role != "anonymous":
        assert User.objects.get(pk=client.session["_auth_user_id"]).language == "ro"
