import factory
from allauth.account.models import EmailAddress
from django.conf import settings

from partners.models import Membership, Partner, Region, User

PASSWORD = "a-long-test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Test region {n}")
    slug = factory.Sequence(lambda n: f"test-region-{n}")
    nuts_code = factory.Sequence(lambda n: f"XX{n:03d}")
    country = "PL"
    nuts_level = 2


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Test Partner Organisation {n}")
    short_name = factory.Sequence(lambda n: f"TPO{n}")
    slug = factory.Sequence(lambda n: f"tpo-{n}")
    type = Partner.Type.RESEARCH_INSTITUTE
    region = factory.SubFactory(RegionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = Membership.Role.STAFF


def activate_totp(user: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, settings.DEMO_TOTP_SECRET)
