"""Over the API an expert reads the district team's ratings of their own advice (issue 10)."""

import pytest

from consultation import services

pytestmark = pytest.mark.django_db


def test_an_expert_reads_the_ratings_of_their_own_advice_only(cast, api):
    question = cast.ask()
    mine = services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    theirs = services.question_advise(
        actor=cast.second_expert, question=question, body="Vaste lasten eerst."
    )
    url = f"/api/v1/questions/{question.pk}/"
    assert api(cast.expert).get(url).json()["my_ratings"] == []
    services.question_close(
        actor=cast.generalist,
        question=question,
        direction="confirmed",
        escalation="avoided",
        ratings={mine.pk: 4, theirs.pk: 2},
    )

    assert api(cast.expert).get(url).json()["my_ratings"] == [4]
    assert api(cast.second_expert).get(url).json()["my_ratings"] == [2]
    (listed,) = api(cast.expert).get("/api/v1/questions/").json()["results"]
    assert listed["my_ratings"] == [4]
    # The team has the ratings it gave in its own records; its serializer has no such field.
    assert "my_ratings" not in api(cast.generalist).get(url).json()
