"""Times in words people use (issue 10): "zojuist", not "0 minuten geleden"; Dutch plurals."""

from datetime import timedelta

from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import ngettext

from navigation.templatetags.wx_time import ago, waited


def test_a_moment_ago_reads_as_people_say_it():
    now = timezone.now()
    with translation.override("nl"):
        assert ago(now) == "zojuist"
        assert ago(now - timedelta(seconds=59)) == "zojuist"
        # Django's timesince joins the number and its unit with a no-break space.
        assert ago(now - timedelta(minutes=1, seconds=5)) == "1\xa0minuut geleden"
        assert ago(now - timedelta(hours=3)) == "3\xa0uur geleden"
        assert waited(now) == "minder dan een minuut"
        assert waited(now - timedelta(days=2, hours=1)) == "2\xa0dagen, 1\xa0uur"
        assert ago(None) == waited(None) == ""
        rendered = Template("{% load wx_time %}{{ moment|ago }}").render(Context({"moment": now}))
        assert rendered == "zojuist"
    with translation.override("en"):
        assert ago(now) == "just now"
        assert ago(now - timedelta(hours=3)) == "3\xa0hours ago"


def test_counts_use_the_plural_forms():
    with translation.override("nl"):
        one = ngettext("%(n)s open question", "%(n)s open questions", 1) % {"n": 1}
        two = ngettext("%(n)s open question", "%(n)s open questions", 2) % {"n": 2}
    assert (one, two) == ("1 openstaande vraag", "2 openstaande vragen")


def test_whole_minutes_round_up():
    from navigation.templatetags.wx_time import whole_minutes

    assert whole_minutes(timedelta(minutes=15)) == 15
    assert whole_minutes(timedelta(minutes=14, seconds=1)) == 15
    assert whole_minutes(None) == 0
