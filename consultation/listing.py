"""What a row of a list of questions shows beside the question itself.

The lists prefetch a page's life domains, target groups and experts as plain lists
(`to_attr`, consultation.selectors.question_prefetches): for a prefetched *manager* Django
builds a queryset per row, which was a third of the triage home's time. Templates and
serializers read them through these properties, which read the rows when nothing was
prefetched (a single question, a test).
"""

from __future__ import annotations


def _shown(instance, to_attr: str, related: str) -> list:
    found = instance.__dict__.get(to_attr)
    return list(getattr(instance, related).all()) if found is None else found


class ShownOnLists:
    @property
    def shown_life_domains(self) -> list:
        return _shown(self, "life_domain_list", "life_domains")

    @property
    def shown_target_groups(self) -> list:
        return _shown(self, "target_group_list", "target_groups")

    @property
    def shown_experts(self) -> list:
        return _shown(self, "expert_links", "experts")
