"""The practices part of everything the portal holds about a person (partners.personal_data):
good practices and policy briefs they created, edited or are named as contact in, their
review steps and comments, the versions they saved, the files they uploaded.

On account deletion the content stays with its partner, attributed to "former member";
only the contact fields that name the person (their email address) are emptied.
"""

from typing import Any

from django.db.models import Q

from partners.personal_data import moment

from .models import (
    Attachment,
    BriefStep,
    BriefVersion,
    GoodPractice,
    PolicyBrief,
    PracticeVersion,
    ReviewStep,
)


def _named_as_contact(user) -> Q:
    return user.addressed("contact_email")


def _part(record, user) -> list[str]:
    parts = []
    if record.created_by_id == user.pk:
        parts.append("author")
    if any(editor.pk == user.pk for editor in record.editors.all()):
        parts.append("editor")
    return parts


def export_practice_data(user) -> dict[str, Any]:
    practices = (
        GoodPractice.objects.filter(Q(created_by=user) | Q(editors=user) | _named_as_contact(user))
        .distinct()
        .prefetch_related("editors")
        .order_by("pk")
    )
    briefs = (
        PolicyBrief.objects.filter(Q(created_by=user) | Q(editors=user))
        .distinct()
        .prefetch_related("editors")
        .order_by("pk")
    )
    return {
        "good_practices": [
            {
                "title": practice.title,
                "status": practice.status,
                "part": _part(practice, user),
                "contact_name": practice.contact_name,
                "contact_email": practice.contact_email,
                "created_at": moment(practice.created_at),
            }
            for practice in practices
        ],
        "policy_briefs": [
            {
                "title": brief.title,
                "status": brief.status,
                "part": _part(brief, user),
                "authors": brief.authors,
                "created_at": moment(brief.created_at),
            }
            for brief in briefs
        ],
        "review_steps": [
            {
                "practice": step.practice.title,
                "action": step.action,
                "comment": step.comment,
                "rubric": {
                    "evidence": [step.evidence_score, step.evidence_comment],
                    "transferability": [step.transferability_score, step.transferability_comment],
                    "relevance": [step.relevance_score, step.relevance_comment],
                },
                "at": moment(step.created_at),
            }
            for step in ReviewStep.objects.filter(actor=user).select_related("practice")
        ]
        + [
            {
                "brief": step.brief.title,
                "action": step.action,
                "comment": step.comment,
                "at": moment(step.created_at),
            }
            for step in BriefStep.objects.filter(actor=user).select_related("brief")
        ],
        "versions_saved": [
            {
                "record": str(version.practice),
                "number": version.number,
                "at": moment(version.saved_at),
            }
            for version in PracticeVersion.objects.filter(saved_by=user).select_related("practice")
        ]
        + [
            {"record": str(version.brief), "number": version.number, "at": moment(version.saved_at)}
            for version in BriefVersion.objects.filter(saved_by=user).select_related("brief")
        ],
        "files_uploaded": [
            {"name": attachment.name, "practice": str(attachment.practice), "size": attachment.size}
            for attachment in Attachment.objects.filter(uploaded_by=user).select_related("practice")
        ],
    }


def forget_contact(user) -> None:
    """The practices naming the person as contact keep their text, not the person."""
    GoodPractice.objects.filter(_named_as_contact(user)).update(contact_name="", contact_email="")
