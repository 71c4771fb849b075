"""Participants of activities, and the programme's capacity survey each one is sent."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .activities import Activity


class ParticipantType(models.TextChoices):
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    STAKEHOLDER = "stakeholder", _("Stakeholder group member")
    RII_STAFF = "rii_staff", _("RII staff")
    POLICY_MAKER = "policy_maker", _("Policy maker")
    OTHER = "other", _("Other")


def person_key():
    """One person across activities: the address they are known by, their account's or a
    guest's, lower case. A guest who later made an account with that address, and was added
    by the account to another activity, is still one person; an account without an address
    (deleted) is known by its number."""
    return Coalesce(
        NullIf(Lower("user__email"), Value("")),
        NullIf(Lower("email"), Value("")),
        Concat(Value("account:"), Cast("user_id", models.CharField())),
    )


class ParticipantQuerySet(models.QuerySet):
    def attended(self) -> "ParticipantQuerySet":
        return self.filter(attended=True)


class Participant(models.Model):
    """Someone at an activity: an existing user, or a guest known by name and email.

    Names and emails are personal data: only the host region's coordinators and the
    consortium coordinator see them (activities/access.py); everyone else sees counts.
    """

    Type = ParticipantType

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
    )
    name = models.CharField(pgettext_lazy("of a person", "name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    type = models.CharField(_("participant type"), max_length=20, choices=ParticipantType.choices)
    attended = models.BooleanField(_("attended"), default=False)
    attendance_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "email", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(user__isnull=False),
                name="participant_once_per_user",
            ),
            models.UniqueConstraint(
                "activity",
                Lower("email"),
                condition=~Q(email=""),
                name="participant_once_per_email",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="participant_has_user_or_email",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id and not self.name:
            return self.user.get_full_name() or self.user.email
        return self.name or self.email

    @property
    def contact_email(self) -> str:
        """Where the capacity survey goes: the account's address, or the guest's."""
        return self.user.email if self.user_id else self.email


class CapacityAnswer(models.TextChoices):
    LARGE = "large", _("To a large degree")
    SOME = "some", _("To some degree")
    NO = "no", _("No")


AGREEMENT = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]


class FollowUpQuerySet(models.QuerySet):
    def answered(self) -> "FollowUpQuerySet":
        return self.filter(answered_at__isnull=False)

    def increased(self) -> "FollowUpQuerySet":
        """Answers that count towards "people with increased professional capacity"."""
        return self.answered().filter(
            capacity_increased__in=[CapacityAnswer.LARGE, CapacityAnswer.SOME]
        )


class CapacityFollowUp(models.Model):
    """The programme's short follow-up of one participant, reached by a personal link.

    The email is claimed before it is sent (`sent_at`, `reminded_at` set by a conditional
    update), so a retry never sends it twice; the answer is the row's own fields.
    """

    Capacity = CapacityAnswer

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="follow_up"
    )
    token = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    met_practices = models.PositiveSmallIntegerField(
        _("I came across interesting practices or ideas from other regions"),
        choices=AGREEMENT,
        null=True,
        blank=True,
    )
    capacity_increased = models.CharField(
        _("My professional capacity increased"),
        max_length=10,
        choices=CapacityAnswer.choices,
        blank=True,
    )
    most_useful = models.TextField(_("What was most useful?"), blank=True)
    use_in_work = models.TextField(_("How will you use it in your work?"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacity follow-up")
        verbose_name_plural = _("capacity follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(met_practices__isnull=True) | Q(met_practices__range=(1, 5)),
                name="follow_up_agreement_1_to_5",
            ),
        ]
        indexes = [
            models.Index(
                fields=["answered_at"],
                condition=Q(answered_at__isnull=False),
                name="follow_up_answered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.participant)

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(24)
        super().save(*args, **kwargs)

    def record_answer(self, answers: dict) -> bool:
        """The person's answers (a valid FollowUpForm's cleaned data), taken once: a second
        submission (another tab, a double click) changes nothing. Whether this one was taken."""
        taken = CapacityFollowUp.objects.filter(pk=self.pk, answered_at__isnull=True).update(
            met_practices=answers["met_practices"],
            capacity_increased=answers["capacity_increased"],
            most_useful=answers.get("most_useful", "").strip(),
            use_in_work=answers.get("use_in_work", "").strip(),
            answered_at=timezone.now(),
        )
        return bool(taken)
