from expertise.models import ExpertPool, ExpertProfile


def expert_profile_of(*, user) -> ExpertProfile | None:
    return (
        ExpertProfile.objects.filter(user=user, is_active=True)
        .select_related("organisation")
        .prefetch_related("pools", "life_domains", "target_groups")
        .first()
    )


def triage_pools_of(*, user):
    return ExpertPool.objects.filter(triage_workers=user, is_active=True).select_related("region")
