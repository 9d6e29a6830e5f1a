"""Looks finished (issue 10): the theme's typeface is shipped and used everywhere, and a required
field does not look like an error before anyone touched it."""

import pytest

from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in_verified,
)

pytestmark = pytest.mark.django_db(transaction=True)

TYPEFACE = "Noto Sans Variable"


def _fonts(page) -> dict:
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            const family = (selector) => {
                const element = document.querySelector(selector);
                return element ? getComputedStyle(element).fontFamily : null;
            };
            return {
                loaded: [...document.fonts].filter(f => f.status === 'loaded')
                    .map(f => f.family.replace(/"/g, '')),
                body: family('body'),
                skip: family('.utrecht-skip-link'),
                badge: family('.wx-status'),
                button: family('button'),
            };
        }"""
    )


def test_the_theme_typeface_is_shipped_and_reaches_every_element(cast, page):
    page.goto("/inloggen/")
    fonts = _fonts(page)
    assert TYPEFACE in fonts["loaded"], f"the typeface was not loaded: {fonts}"
    for where in ("body", "skip", "button"):
        assert fonts[where].replace('"', "").startswith(TYPEFACE), (where, fonts)
    cast.ask()
    sign_in_verified(page, cast.generalist)
    page.goto(f"/wijkteam/casussen/{cast.case.pseudonym}/")
    fonts = _fonts(page)
    assert fonts["badge"] and fonts["badge"].replace('"', "").startswith(TYPEFACE), fonts


def test_required_fields_look_like_errors_only_after_a_try(cast, page):
    sign_in_verified(page, cast.generalist)
    page.goto(f"/wijkteam/casussen/{cast.case.pseudonym}/vraag-stellen/")
    style = """(element) => {
        const s = getComputedStyle(element);
        return [s.borderColor, s.borderWidth, s.backgroundColor].join(' ');
    }"""
    required = page.locator("textarea[required]")
    assert required.count() >= 2
    first = required.first
    untouched = first.evaluate(style)
    # The same field, not required: how a field looks when nothing is wrong.
    plain = first.evaluate(f"(e) => {{ e.required = false; return ({style})(e); }}")
    first.evaluate("(e) => { e.required = true; }")
    assert untouched == plain, "an untouched required field is styled as an error"
    screenshot(page, "ask-question-untouched")
    assert_accessible(page)
    # Typed into and emptied again, it says something is missing.
    first.fill("x")
    first.fill("")
    first.blur()
    assert first.evaluate(style) != plain, "an emptied required field shows no error"


def test_every_page_has_one_width_and_the_footer_at_the_bottom(cast, page):
    """The content column is as wide on a short page as on a full one, and a short page's
    footer sits at the bottom of the window, not halfway up."""
    cast.ask(title="Een vraag met een lange titel zodat de tabel de kolom breed maakt")
    sign_in_verified(page, cast.expert)
    measure = """() => {
        const column = document.querySelector('.utrecht-page').getBoundingClientRect();
        const footer = document.querySelector('.utrecht-page-footer').getBoundingClientRect();
        return {width: Math.round(column.width), footerBottom: Math.round(footer.bottom),
                window: window.innerHeight, page: document.documentElement.scrollHeight};
    }"""
    widths = {}
    for path in ("/expert/", "/profiel/", "/vragen/meldingen/"):
        page.goto(path)
        seen = page.evaluate(measure)
        widths[path] = seen["width"]
        if seen["page"] <= seen["window"]:  # a short page
            assert abs(seen["footerBottom"] - seen["window"]) <= 1, (path, seen)
    assert len(set(widths.values())) == 1, widths
    page.goto("/vragen/meldingen/")
    screenshot(page, "short-page-footer")


# Computed looks of a page's form controls, text and cards (issue 10: "looks finished").
LOOK = """() => {
    const visible = (e) => e.getClientRects().length > 0;
    const style = (e) => getComputedStyle(e);
    const sans = (e) => style(e).fontFamily.replace(/"/g, '').startsWith('Noto Sans');
    const controls = (selector) => [...document.querySelectorAll(selector)].filter(visible);
    const texts = [...document.querySelectorAll('body *')].filter((e) => visible(e)
        && !['CODE', 'PRE', 'KBD', 'SCRIPT', 'STYLE', 'SVG'].includes(e.tagName)
        && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
    const cards = controls('.wx-card, .wx-message').map((card) => {
        const first = card.firstElementChild;
        const s = style(card);
        const inner = card.getBoundingClientRect().top + parseFloat(s.borderTopWidth)
            + parseFloat(s.paddingTop);
        return {card: card.className, first: first && first.tagName,
                band: first ? Math.round(first.getBoundingClientRect().top - inner) : 0};
    });
    return {
        selects: controls('select').map((e) => ({name: e.name, appearance: style(e).appearance,
            arrow: style(e).backgroundImage, border: style(e).borderTopWidth})),
        checkboxes: controls('input[type=checkbox]').map((e) => ({name: e.name,
            appearance: style(e).appearance, border: style(e).borderTopWidth,
            size: e.getBoundingClientRect().width})),
        radios: controls('input[type=radio]').map((e) => ({name: e.name,
            appearance: style(e).appearance, radius: style(e).borderTopLeftRadius,
            size: e.getBoundingClientRect().width})),
        serif: texts.filter((e) => !sans(e)).slice(0, 5)
            .map((e) => e.tagName + '.' + e.className + ': ' + style(e).fontFamily),
        badges: controls('.wx-status').map((e) => style(e).fontFamily),
        cards,
    };
}"""


def _assert_looks_finished(page, name, *, selects=0, checkboxes=0, radios=0):
    """Selects have the theme's arrow, checkboxes and radio buttons are drawn by the Utrecht
    components (not the browser), no text is in a serif, no card has a band above its first
    element; at 1280 and at 320 px."""
    look = page.evaluate(LOOK)
    assert len(look["selects"]) >= selects, look["selects"]
    assert len(look["checkboxes"]) >= checkboxes, look["checkboxes"]
    assert len(look["radios"]) >= radios, look["radios"]
    for select in look["selects"]:
        assert select["appearance"] == "none" and "arrow-dropdown" in select["arrow"], select
    for box in look["checkboxes"] + look["radios"]:
        assert box["appearance"] == "none" and box["size"] >= 24, box
    for checkbox in look["checkboxes"]:
        assert checkbox["border"] not in ("0px", ""), checkbox
    for radio in look["radios"]:
        assert radio["radius"] not in ("0px", ""), radio  # drawn round by the component
    assert look["serif"] == [], look["serif"]
    for badge in look["badges"]:
        assert badge.replace('"', "").startswith(TYPEFACE), badge
    assert [card for card in look["cards"] if card["band"] > 1] == [], look["cards"]
    screenshot(page, f"look-{name}")
    assert_accessible(page)
    assert_reflows_at_320(page, f"look-{name}")


def _triage_question(cast):
    from consultation import services
    from expertise.models import LifeDomain, TargetGroup
    from triage.services import triage_claim

    question = services.question_create(
        actor=cast.generalist,
        case=cast.case,
        pool=cast.org["pool"],  # the triage pool
        data=services.QuestionInput(
            title="Vader met schulden en somberheid",
            situation="Alleenstaande vader, drie kinderen, schulden en weinig slaap.",
            tried="Aanmelding schuldhulp; gesprek met de huisarts.",
            question="Wat is de volgende stap?",
        ),
        life_domains=LifeDomain.objects.filter(slug="financien"),
        target_groups=TargetGroup.objects.filter(slug="schulden"),
    )
    question = services.question_submit(actor=cast.generalist, question=question)
    triage_claim(worker=cast.triage, question=question)
    return question


def test_forms_and_cards_look_finished(cast, open_page):
    """The question form, the question page, the close-out form and the triage decision forms:
    the selects, checkboxes and radio buttons there, the status badge and the cards."""
    from consultation.services import question_advise, question_pick_up

    generalist = open_page()
    sign_in_verified(generalist, cast.generalist)
    generalist.goto(f"/wijkteam/casussen/{cast.case.pseudonym}/vraag-stellen/")
    _assert_looks_finished(generalist, "question-form", selects=2, checkboxes=2, radios=2)

    question = cast.ask()
    question_pick_up(actor=cast.expert, question=question)
    question_advise(actor=cast.expert, question=question, body="Bel de verhuurder vandaag nog.")
    generalist.goto(f"/vragen/{question.pk}/")
    _assert_looks_finished(generalist, "question-page")
    generalist.goto(f"/vragen/{question.pk}/afsluiten/")
    _assert_looks_finished(generalist, "close-out-form", radios=5)

    triaged = _triage_question(cast)
    worker = open_page()
    sign_in_verified(worker, cast.triage)
    worker.goto(f"/triage/vragen/{triaged.pk}/")
    worker.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    _assert_looks_finished(worker, "triage-decisions", radios=3)

    expert = open_page()
    sign_in_verified(expert, cast.expert)
    expert.goto("/expert/")  # the inbox's filters are selects
    _assert_looks_finished(expert, "expert-inbox", selects=3)
