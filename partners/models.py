from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


def validate_time_zone(value: str) -> None:
    if value and value not in available_timezones():
        raise ValidationError(_("%(value)s is not a time zone."), params={"value": value})


class User(AbstractBaseUser, PermissionsMixin):
    """A person; the email address is the identity, there is no username."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(pgettext_lazy("of a person", "name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal speaks this language to you; empty follows your browser."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Dates and times are shown, and entered, in this time zone; empty: the time zone "
            "of your region."
        ),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person deleted their account: the row is kept without personal data, so
    # that what they wrote for a partner keeps its history ("former member").
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.deleted_at:
            return str(_("former member"))
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        if self.deleted_at:
            return str(_("former member"))
        return self.name or self.email.split("@")[0]

    def email_addresses(self, *, verified: bool = False) -> set[str]:
        """The account's addresses, lower case: the sign-in one and allauth's, or only the
        verified ones (those an invitation may be claimed by)."""
        from allauth.account.models import EmailAddress

        addresses = EmailAddress.objects.filter(user=self)
        if verified:
            return {
                email.lower()
                for email in addresses.filter(verified=True).values_list("email", flat=True)
            }
        return {self.email.lower(), *(e.lower() for e in addresses.values_list("email", flat=True))}

    def addressed(self, field: str = "email", *, verified: bool = False) -> Q:
        """`Q(<field>__iexact=…)` for each of `email_addresses`; matches nothing without."""
        query = Q(pk__in=[])
        for email in self.email_addresses(verified=verified):
            query |= Q(**{f"{field}__iexact": email})
        return query


class Region(models.Model):
    """A region of the consortium, named and coded after Eurostat's NUTS 2024."""

    name = models.CharField(_("name"), max_length=100)
    nuts_code = models.CharField(
        _("NUTS code"),
        max_length=5,
        blank=True,
        help_text=_("NUTS 2024 code; blank where the country has none (Moldova)."),
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    nuts_level = models.PositiveSmallIntegerField(_("NUTS level"), null=True, blank=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(
                fields=["nuts_code"], condition=~Q(nuts_code=""), name="region_nuts_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nuts_code})" if self.nuts_code else self.name

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES.get(self.country, self.country)


COUNTRY_NAMES = {
    "IT": _("Italy"),
    "LT": _("Lithuania"),
    "MD": _("Moldova"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
}


# The time zone of each consortium country, for people who have not chosen one.
TIME_ZONE_OF_COUNTRY = {
    "IT": "Europe/Rome",
    "LT": "Europe/Vilnius",
    "MD": "Europe/Chisinau",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
}
# The language a region's people read, by its country: the language its coordinators
# translate the framework into (Moldova's official language is Romanian).
LANGUAGE_OF_COUNTRY = {"IT": "it", "LT": "lt", "MD": "ro", "NL": "nl", "PL": "pl", "PT": "pt"}


class PartnerQuerySet(models.QuerySet):
    def listing(self) -> "PartnerQuerySet":
        return self.select_related("region").order_by(
            "region__country", "region__name", "-is_lead", "name"
        )


class Partner(models.Model):
    class Type(models.TextChoices):
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")
        REGIONAL_AGENCY = "regional_agency", _("Regional agency")
        BUSINESS_SUPPORT = "business_support", _("Business support organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("organisation name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="partners", verbose_name=_("region")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_lead = models.BooleanField(_("lead partner"), default=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["is_lead"], condition=Q(is_lead=True), name="partner_single_lead"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.slug])


class RegionChange(models.Model):
    """A partner moved to another region: who did it and when. The region decides who
    coordinates the partner's practices, campaigns and results, so every move is kept."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="region_changes")
    from_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of region")
        verbose_name_plural = _("changes of region")

    def __str__(self) -> str:
        return f"{self.partner.short_name}: {self.from_region} → {self.to_region}"


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("Partner staff")
        COORDINATOR = "coordinator", _("Regional coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_consortium_coordinator = models.BooleanField(
        _("consortium coordinator"),
        default=False,
        help_text=_("Only for coordinators of the lead partner."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(is_consortium_coordinator=False) | Q(role="coordinator"),
                name="membership_consortium_needs_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.partner.short_name} ({self.get_role_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.is_consortium_coordinator:
            if self.role != self.Role.COORDINATOR:
                raise ValidationError(
                    {"is_consortium_coordinator": _("Only a coordinator can hold this role.")}
                )
            if self.partner_id and not self.partner.is_lead:
                raise ValidationError(
                    {
                        "is_consortium_coordinator": _(
                            "Only the lead partner's coordinators can hold this role."
                        )
                    }
                )

    @property
    def role_label(self) -> str:
        if self.is_consortium_coordinator:
            return str(_("Consortium coordinator"))
        return self.get_role_display()
