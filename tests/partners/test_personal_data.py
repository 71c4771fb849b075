"""GDPR: one export holds everything about the person; a person can delete their account,
and what they wrote for their partner stays, attributed to "former member"."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from partners.models import Membership, RegionChange, User
from practices.models import BriefStep, GoodPractice, ReviewStep, Status
from surveys.models import Invitation, ReportRequest, Response
from tests.factories.accounts import PASSWORD
from tests.factories.briefs import BriefFactory
from tests.factories.practices import PracticeFactory
from tests.factories.surveys import CampaignFactory, self_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def footprint(coordinator, staff, slaskie, utrecht, province):
    """Something of every kind the portal holds about the coordinator."""
    practice = PracticeFactory(
        created_by=staff,
        status=Status.SUBMITTED,
        title="Lab open days",
        contact_name="Coordinator Person",
        contact_email=coordinator.email,
    )
    practice.editors.add(coordinator)
    ReviewStep.objects.create(
        practice=practice,
        actor=coordinator,
        action="request_changes",
        from_status="submitted",
        to_status="changes_requested",
        comment="Add the numbers.",
    )
    own = PracticeFactory(created_by=coordinator, title="Mentoring circle")
    brief = BriefFactory(created_by=coordinator, title="Skills for transfer")
    BriefStep.objects.create(
        brief=brief,
        actor=coordinator,
        action="comment",
        from_status="draft",
        to_status="draft",
        comment="Draft ready.",
    )
    campaign = CampaignFactory(region=slaskie, title="Śląskie 2026")
    self_assessment(campaign, {}, respondent=coordinator)
    Invitation.objects.create(campaign=campaign, email=coordinator.email, name="C.")
    ReportRequest.objects.create(
        kind=ReportRequest.Kind.REPORT_PDF,
        requested_by=coordinator,
        region=slaskie,
        language="pl",
    )
    RegionChange.objects.create(
        partner=province, from_region=slaskie, to_region=utrecht, changed_by=coordinator
    )
    UserSession.objects.create(
        user=coordinator, ip="203.0.113.7", user_agent="Firefox", session_key="k" * 32
    )
    return {"practice": practice, "own": own, "brief": brief}


def test_the_export_holds_every_kind_of_record_about_the_person(client, coordinator, footprint):
    client.force_login(coordinator)
    data = json.loads(client.get(reverse("results:my_data")).content)

    assert data["account"]["email"] == coordinator.email
    assert [m["role"] for m in data["memberships"]] == ["coordinator"]
    assert [s["ip"] for s in data["sessions"]] == ["203.0.113.7"]
    assert [d["type"] for d in data["two_factor_devices"]] == ["totp"]
    assert "secret" not in json.dumps(data["two_factor_devices"])
    assert [c["to"] for c in data["region_changes"]] == ["Utrecht"]
    assert len(data["responses"]) == 1
    assert [i["name"] for i in data["invitations"]] == ["C."]
    assert [(r["region"], r["language"]) for r in data["report_requests"]] == [("Śląskie", "pl")]
    practices = {p["title"]: p for p in data["good_practices"]}
    assert practices["Lab open days"]["part"] == ["editor"]
    assert practices["Lab open days"]["contact_email"] == coordinator.email
    assert practices["Mentoring circle"]["part"] == ["author"]
    assert [b["title"] for b in data["policy_briefs"]] == ["Skills for transfer"]
    assert sorted(step["comment"] for step in data["review_steps"]) == [
        "Add the numbers.",
        "Draft ready.",
    ]


def test_deleting_the_account_needs_the_password_and_keeps_what_was_typed_otherwise(
    client, coordinator
):
    client.force_login(coordinator)
    refused = client.post(reverse("delete_account"), {"password": "wrong"})
    assert refused.status_code == 400
    assert "This is not your password." in refused.content.decode()
    assert User.objects.get(pk=coordinator.pk).deleted_at is None


def test_a_deleted_account_keeps_no_personal_data_and_its_content_says_former_member(
    client, coordinator, footprint, staff
):
    email = coordinator.email
    assert Client().login(email=email, password=PASSWORD)  # the password works before
    client.force_login(coordinator)

    reply = client.post(reverse("delete_account"), {"password": PASSWORD}, follow=True)

    assert "Your account was deleted." in reply.content.decode()
    gone = User.objects.get(pk=coordinator.pk)
    assert gone.deleted_at is not None
    assert (gone.name, gone.is_active, gone.has_usable_password()) == ("", False, False)
    assert email not in gone.email and gone.email.endswith("@deleted.invalid")
    assert not Membership.objects.filter(user=gone).exists()
    assert not Authenticator.objects.filter(user=gone).exists()
    assert not UserSession.objects.filter(user=gone).exists()
    assert not gone.emailaddress_set.exists()
    assert not Invitation.objects.filter(email__iexact=email).exists()
    assert not Response.objects.filter(respondent=gone).exists()
    # Signed out, and no way back in.
    assert client.get(reverse("profile")).status_code == 302
    assert not client.login(email=email, password=PASSWORD)

    # The content stays, attributed to a former member; the contact is gone.
    practice = GoodPractice.objects.get(pk=footprint["practice"].pk)
    assert (practice.contact_name, practice.contact_email) == ("", "")
    assert str(GoodPractice.objects.get(pk=footprint["own"].pk).created_by) == "former member"
    client.force_login(staff)
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "former member" in page
    assert email not in page
    report = ReportRequest.objects.get()
    assert str(report.requested_by) == "former member"
