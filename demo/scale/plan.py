"""The synthetic world, decided in memory before anything is written: regions, municipalities,
district teams, professionals, care providers and expert pools, sized by the number of questions.

Regio Eemland is the demo's (demo.data.organisation): the same municipalities, teams, pools,
experts and accounts, with the same names, e-mail addresses and roles as `load_demo` makes, so a
later `load_demo` finds them all and only adds its scripted cases. The scale data adds to it
what `load_demo` never takes away (members of its teams, more teams in its municipalities, a
second triage pool for the demo triage worker and the demo expert) and then more regions.

Sizes follow the number of questions N: a team asks about 2,000 questions in five years, so
N / 2,000 teams (at least 24), ten to twenty per region, each region with a city of five to
twelve buurtteams (Utrecht: 18 teams, 220 family workers) and smaller towns around it. A
team's weight says how busy it is; the demo's team is the busiest (4.8, about 1.6 % of all
questions at 500,000), its pools the fullest: the demo accounts are among those who see most.
"""

from __future__ import annotations

import random

from demo.data import people
from demo.data.organisation import (
    ADMIN_MUNICIPALITY,
    MUNICIPALITIES,
    ORGANISATIONS,
    POOLS,
    REGION,
    TEAMS,
)
from demo.data.people import ADMINISTRATOR, COORDINATOR, DEMO_DOMAIN, EXPERTS, TRIAGE_WORKER
from demo.data.scale_world import (
    ARCHETYPES,
    BIOS,
    DISTRICTS,
    EEMLAND_EXTRA_TEAMS,
    EEMLAND_ORGANISATIONS,
    ORGANISATION_NAMES,
    PROFESSIONAL_FIRST_NAMES,
    PROFESSIONAL_LAST_NAMES,
)
from demo.scale.model import (
    NETWORK,
    TEAM,
    TRIAGE,
    Expert,
    Ids,
    Municipality,
    Organisation,
    Person,
    Pool,
    Region,
    Team,
    World,
    place_names,
    slug,
)
from demo.script import DemoPerson

QUESTIONS_PER_TEAM = 2000
MIN_TEAMS = 24
DEMO_TEAM = TEAMS[0][1]  # generalist@ and teamleider@ work here (demo.loader)
DEMO_EXPERT = "expert"  # Eva Koster, schuldhulpverlener
# The demo's own load_demo members per team (demo.loader.MEMBERS_PER_TEAM).
DEMO_MEMBERS_PER_TEAM = 3


class Planner:
    def __init__(self, *, questions: int, rng: random.Random, ids: Ids):
        self.rng, self.ids = rng, ids
        self.world = World()
        self.teams_total = max(MIN_TEAMS, round(questions / QUESTIONS_PER_TEAM))
        self._emails: set[str] = set()
        self._names = self._name_stream()

    def build(self) -> World:
        eemland = self._demo_region()
        self._eemland_extras(eemland)
        self._more_regions()
        return self.world

    # --- people ---------------------------------------------------------------------------------
    def _person(self, email: str, first: str, last: str, **extra) -> Person:
        person = Person(self.ids("accounts_user"), email.lower(), first, last, **extra)
        self._emails.add(person.email)
        self.world.people.append(person)
        return person

    def _demo_person(self, spec: DemoPerson, **extra) -> Person:
        email = f"{spec.key}@{DEMO_DOMAIN}"
        return self._person(email, spec.first_name, spec.last_name, is_demo=True, **extra)

    def _name_stream(self):
        rng = random.Random(self.rng.random())
        while True:
            yield rng.choice(PROFESSIONAL_FIRST_NAMES), rng.choice(PROFESSIONAL_LAST_NAMES)

    def _generated(self, domain: str) -> Person:
        first, last = next(self._names)
        local = f"{slug(first)}.{slug(last)}"
        email, n = f"{local}@{domain}", 1
        while email in self._emails:
            n += 1
            email = f"{local}{n}@{domain}"
        return self._person(email, first, last, daily=self.rng.random() < 0.15)

    # --- Regio Eemland, as load_demo makes it ------------------------------------------------
    def _demo_region(self) -> Region:
        world, ids = self.world, self.ids
        region = Region(ids("wijkteam_region"), REGION)
        world.regions.append(region)
        municipalities = {}
        for code, name in MUNICIPALITIES:
            municipalities[name] = Municipality(ids("wijkteam_municipality"), region, name, code)
            world.municipalities.append(municipalities[name])
        # How busy: the demo team most, the teams of the demo's triage pool next.
        weights = {DEMO_TEAM: 4.8}
        pace: dict[str, float] = {TRIAGE: 1.6, TEAM: 1.2, NETWORK: 1.5}
        for served in POOLS:
            for name in served["teams"]:
                weights.setdefault(str(name), pace[str(served["model"])])
        teams = {}
        index = 0  # demo.loader._people(): the n-th member gets the n-th name
        for position, (municipality, name) in enumerate(TEAMS):
            team = self._team(municipalities[municipality], name, weights[name])
            teams[name] = team
            for slot in range(DEMO_MEMBERS_PER_TEAM):
                first = people.FIRST_NAMES[index % len(people.FIRST_NAMES)]
                last = people.LAST_NAMES[(index * 7) % len(people.LAST_NAMES)]
                index += 1
                if position == 0 and slot == 0:
                    local, lead = "generalist", False
                elif position == 0 and slot == 2:
                    local, lead = "teamleider", True
                else:
                    local, lead = f"wijkteam{position + 1:02d}.{slot + 1}", slot == 2
                person = self._person(f"{local}@{DEMO_DOMAIN}", first, last, is_demo=True)
                (team.leads if lead else team.generalists).append(person)
        organisations = {}
        for name, city in ORGANISATIONS:
            organisations[name] = Organisation(ids("expertise_organisation"), name, city)
            world.organisations.append(organisations[name])
        experts = {}
        for spec in EXPERTS:
            person = self._person(
                f"{spec.email}@{DEMO_DOMAIN}", spec.first_name, spec.last_name, is_demo=True
            )
            expert = Expert(
                person=person,
                profile_id=ids("expertise_expertprofile"),
                organisation=organisations[spec.organisation],
                job_title=spec.job_title,
                bio=spec.bio,
                domains=spec.life_domains,
                groups=spec.target_groups,
                # The demo expert picks up most of the money questions of her pools.
                weight=3.2 if spec.email == DEMO_EXPERT else 1.0,
            )
            experts[spec.email] = expert
            world.experts.append(expert)
        triage_worker, coordinator = map(self._demo_person, (TRIAGE_WORKER, COORDINATOR))
        for pool_spec in POOLS:
            # str(): mypy reads POOLS as dicts of Sequence[str].
            name, model = str(pool_spec["name"]), str(pool_spec["model"])
            pool = self._pool(region, name, model, str(pool_spec["description"]))
            pool.demo = True
            for team_name in pool_spec["teams"]:
                self._serve(pool, teams[team_name], 1.0)
            for key in pool_spec["experts"]:
                self._join(experts[key], pool)
            pool.coordinators += [coordinator] if model == TEAM else []
            if pool_spec["model"] == TRIAGE:
                pool.triage_workers.append(triage_worker)
                # One triage worker for four busy teams: the queue is long.
                pool.backlog_days, pool.backlog_share = 100.0, 0.57
        municipalities[ADMIN_MUNICIPALITY].admins.append(
            self._demo_person(people.MUNICIPALITY_ADMIN)
        )
        region.admins.append(self._demo_person(people.REGION_ADMIN))
        world.superusers.append(self._demo_person(ADMINISTRATOR, is_staff=True, is_superuser=True))
        # The demo team is the busiest: more colleagues beside the demo's three.
        demo_team = teams[DEMO_TEAM]
        for _ in range(14):
            demo_team.generalists.append(self._generated("amersfoort.wijkteams.example"))
        demo_team.leads.append(self._generated("amersfoort.wijkteams.example"))
        for team in teams.values():
            if team is not demo_team:
                self._staff(team, extra=round(2 + 5 * team.weight))
        self._asker_weights(demo_team, favourite=demo_team.generalists[0])
        self._demo_expert = experts[DEMO_EXPERT]
        self._demo_triage = triage_worker
        self._eemland_municipalities = municipalities
        self._eemland_organisations = {
            kind: organisations[name] for kind, name in EEMLAND_ORGANISATIONS.items()
        }
        return region

    def _eemland_extras(self, region: Region) -> None:
        """More teams in the Eemland municipalities, served by two pools of their own (never by
        the demo's pools: load_demo sets those pools' teams). The demo triage worker and the demo
        expert work in the new triage pool too."""
        count = max(2, round(0.06 * self.teams_total))
        # Amersfoort's first (it stays the largest municipality: its admin is the demo's).
        names = [(m, name) for m, names in EEMLAND_EXTRA_TEAMS.items() for name in names]
        teams = []
        for municipality, name in names[:count]:
            team = self._team(self._eemland_municipalities[municipality], name, 1.2)
            self._staff(team, extra=round(2 + 5 * team.weight))
            teams.append(team)
        network = self._pool(
            region,
            "Expertisenetwerk Eemland",
            NETWORK,
            "Specialisten van de zorgaanbieders in Eemland denken mee met de nieuwe wijkteams.",
        )
        triage = self._pool(
            region,
            "Expertisepool Eemland-Oost (triage)",
            TRIAGE,
            "De triagist van Eemland verdeelt ook de vragen van de sociale teams in het oosten.",
        )
        triage.triage_workers.append(self._demo_triage)
        triage.backlog_days, triage.backlog_share = 100.0, 0.57
        for index, team in enumerate(teams):
            self._serve(network if index % 2 == 0 else triage, team, 1.0)
        self._join(self._demo_expert, triage)
        self._experts_for(network, self._eemland_organisations, "eemland.example")
        self._experts_for(triage, self._eemland_organisations, "eemland.example")

    # --- other regions --------------------------------------------------------------------------
    def _more_regions(self) -> None:
        used = len(self.world.teams)
        remaining = max(self.teams_total - used, 8)
        places = place_names()
        self.rng.shuffle(places)
        # No city outgrows Amersfoort, whose administrator is the demo's.
        largest = len(self._eemland_municipalities[ADMIN_MUNICIPALITY].teams)
        code = 9001
        while remaining > 0:
            # Ten to twenty teams a region; smaller ones while there are few teams in all.
            small = remaining <= 40
            size = min(remaining, self.rng.randint(4, 7) if small else self.rng.randint(8, 20))
            if remaining - size < (3 if small else 5):
                size = remaining
            remaining -= size
            city_name = places.pop()
            region = Region(self.ids("wijkteam_region"), f"Regio {city_name}")
            self.world.regions.append(region)
            city_teams = min(size, self.rng.randint(5, max(5, min(12, largest - 1))))
            plan = [(city_name, city_teams)]
            rest = size - city_teams
            while rest > 0:
                n = min(rest, self.rng.choice((1, 1, 2, 2, 3)))
                plan.append((places.pop(), n))
                rest -= n
            municipalities = []
            for name, n in plan:
                municipality = Municipality(
                    self.ids("wijkteam_municipality"), region, name, f"GM{code}"
                )
                code += 1
                self.world.municipalities.append(municipality)
                municipalities.append((municipality, n))
                domain = f"{slug(name)}.example"
                if self.rng.random() < 0.8:
                    municipality.admins.append(self._generated(domain))
            self._region_teams_and_pools(region, city_name, municipalities)

    def _region_teams_and_pools(self, region: Region, city: str, municipalities) -> None:
        rng = self.rng
        organisations = {}
        for kind, pattern in ORGANISATION_NAMES.items():
            organisation = Organisation(
                self.ids("expertise_organisation"), pattern.format(city), city
            )
            organisations[kind] = organisation
            self.world.organisations.append(organisation)
        city_teams: list[Team] = []
        other_teams: list[Team] = []
        for index, (municipality, n) in enumerate(municipalities):
            districts = DISTRICTS[:]
            rng.shuffle(districts)
            for k in range(n):
                if index == 0:
                    name = f"Buurtteam {municipality.name} {districts[k]}"
                    weight = rng.uniform(1.0, 1.6)
                elif n == 1:
                    name = f"Sociaal team {municipality.name}"
                    weight = rng.uniform(0.5, 1.1)
                else:
                    name = f"Sociaal team {municipality.name}-{districts[k]}"
                    weight = rng.uniform(0.5, 1.1)
                team = self._team(municipality, name, weight)
                self._staff(team, extra=round(2 + 6 * weight))
                (city_teams if index == 0 else other_teams).append(team)
        expert_domain = f"zorg.{slug(city)}.example"
        orgs = organisations
        # The city's buurtteams share one or two expertise networks (at most ~16 teams' worth of
        # questions each).
        network_pools = []
        for part, chunk in enumerate(_chunks(city_teams, limit=16.0)):
            suffix = "" if part == 0 else f" {['Noord', 'Zuid', 'Oost', 'West'][(part - 1) % 4]}"
            pool = self._pool(
                region,
                f"Expertisenetwerk {city}{suffix}",
                NETWORK,
                f"Specialisten uit de regio die vragen van de buurtteams in {city} oppakken.",
            )
            for team in chunk:
                self._serve(pool, team, 1.0)
            self._experts_for(pool, orgs, expert_domain)
            network_pools.append(pool)
        # The municipalities around it: a triage desk, a fixed expert team or a network.
        second = None
        for part, chunk in enumerate(_chunks(other_teams, limit=10.0)):
            roll = rng.random()
            label = region.name.removeprefix("Regio ")
            if roll < 0.42:  # with the cities' networks: about 68 % of the pools are networks
                pool = self._pool(
                    region,
                    f"Expertisepool {label}{' ' + str(part + 1) if part else ''} (triage)",
                    TRIAGE,
                    "Een triagist tussen de sociale teams en de experts van de regio.",
                )
                workers = 2 if sum(t.weight for t in chunk) > 6 else 1
                for _ in range(workers):
                    pool.triage_workers.append(self._generated(expert_domain))
                pool.backlog_days, pool.backlog_share = 10.0, 0.3
            elif roll < 0.65:
                pool = self._pool(
                    region,
                    f"Expertiseteam {label}{' ' + str(part + 1) if part else ''}",
                    TEAM,
                    "Vaste specialisten die elke twee weken samen casussen bespreken.",
                )
            else:
                pool = self._pool(
                    region,
                    f"Expertisenetwerk {label}-Ommeland{' ' + str(part + 1) if part else ''}",
                    NETWORK,
                    "Specialisten die vragen van de sociale teams rond de stad oppakken.",
                )
            for team in chunk:
                self._serve(pool, team, 1.0)
            # Half of a pool's experts also work in the city's network.
            shared = [e for e in network_pools[0].experts if rng.random() < 0.5]
            for expert in shared:
                self._join(expert, pool)
            self._experts_for(pool, orgs, expert_domain, have=len(shared))
            second = second or (pool if pool.model != NETWORK else None)
        # Some buurtteams may also ask the region's triage desk or expert team.
        if second is not None:
            for team in city_teams:
                if rng.random() < 0.25:
                    self._serve(second, team, 0.25)

    # --- building blocks ------------------------------------------------------------------------
    def _team(self, municipality: Municipality, name: str, weight: float) -> Team:
        team = Team(self.ids("wijkteam_districtteam"), municipality, name, weight)
        team.group_id = self.ids("auth_group")
        self.world.teams.append(team)
        municipality.teams.append(team)
        return team

    def _staff(self, team: Team, *, extra: int) -> None:
        domain = f"{slug(team.municipality.name)}.wijkteams.example"
        for _ in range(min(extra, 16)):
            team.generalists.append(self._generated(domain))
        if not team.leads:
            team.leads.append(self._generated(domain))
        if len(team.generalists) >= 14:
            team.leads.append(self._generated(domain))
        self._asker_weights(team)

    def _asker_weights(self, team: Team, favourite: Person | None = None) -> None:
        weights = []
        for person in team.members:
            if person is favourite:
                weights.append(3.0)
            elif person in team.leads:
                weights.append(0.3)
            else:
                weights.append(1.0)
        team.asker_weights = weights

    def _pool(self, region: Region, name: str, model: str, description: str) -> Pool:
        pool = Pool(self.ids("expertise_expertpool"), name, region, model, description)
        self.world.pools.append(pool)
        return pool

    def _serve(self, pool: Pool, team: Team, weight: float) -> None:
        pool.teams.append(team)
        team.pools.append(pool)
        team.pool_weights.append(weight)

    def _join(self, expert: Expert, pool: Pool) -> None:
        if pool not in expert.pools:
            expert.pools.append(pool)
            pool.experts.append(expert)

    def _experts_for(
        self,
        pool: Pool,
        organisations: dict[str, Organisation],
        domain: str,
        *,
        have: int = 0,
    ) -> None:
        """Experts for a pool: every life domain covered (twice for money, the most asked
        about), then more by chance; 8 to 24 in all, more for a busier pool (so that no expert
        outgrows the demo expert)."""
        weight = sum(team.weight for team in pool.teams)
        wanted = max(8, min(24, round(5 + 1.3 * weight))) - have
        kinds = list(range(len(ARCHETYPES)))
        order = [0, 1, 2, 3, 4, 5, 6, 7] + [self.rng.choice(kinds) for _ in range(wanted)]
        for index in order[: max(wanted, 0)]:
            title, kind, domains, groups = ARCHETYPES[index]
            organisation = organisations[kind]
            expert = Expert(
                person=self._generated(domain),
                profile_id=self.ids("expertise_expertprofile"),
                organisation=organisation,
                job_title=title,
                bio=BIOS[kind],
                domains=domains,
                groups=groups,
                weight=self.rng.uniform(0.6, 1.4),
                unavailable=self.rng.random() < 0.03,
            )
            self.world.experts.append(expert)
            self._join(expert, pool)


def _chunks(teams: list[Team], *, limit: float) -> list[list[Team]]:
    chunks: list[list[Team]] = []
    current: list[Team] = []
    total = 0.0
    for team in teams:
        if current and total + team.weight > limit:
            chunks.append(current)
            current, total = [], 0.0
        current.append(team)
        total += team.weight
    if current:
        chunks.append(current)
    return chunks
