from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wijkteam.models import TeamMembership
from wijkteam.services import team_membership_sync


@receiver([post_save, post_delete], sender=TeamMembership)
def _sync_team_group(sender, instance, **kwargs):
    team_membership_sync(user=instance.user, team=instance.team)
