"""Keep what is cached about a user's roles in step with their memberships."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership
from .permissions import forget_coordinates


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    # Deleting a user or partner cascades here too: every removed membership is signalled.
    forget_coordinates(instance.user_id)
