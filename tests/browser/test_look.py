"""Looks finished (issue 10): the theme's typeface is shipped and used everywhere, and a required
field does not look like an error before anyone touched it."""

import pytest

from tests.browser.helpers import assert_accessible, screenshot, sign_in_verified

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
