"""Every URL pattern of the project, found by walking the resolver (with namespaces, the API
router's routes included), and the patterns that are left out of the matrix on purpose."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Found:
    name: str  # "namespace:name", or the route itself for a pattern without a name
    route: str  # the whole route, prefixes joined
    callback: str  # module.function of the view


# Whole areas that are not ours to test here: Django admin's internals (its own permission
# system; /admin/ for non-staff is tests/test_admin.py), static files and media (WhiteNoise
# serves them before the URL conf; no pattern of ours). Matched on the route's start.
EXCLUDED_PREFIXES = ("admin/", "static/", "media/")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                name = route
            callback = entry.callback
            yield Found(
                name=name,
                route=route,
                callback=f"{callback.__module__}.{getattr(callback, '__name__', callback)}",
            )


def project_patterns(urlconf: str | None = None) -> dict[str, Found]:
    """Every pattern of the project (or of `urlconf`) outside the excluded areas, by name. A
    name used twice (two patterns, one name) would make reverse() reach only one of them: that
    fails here."""
    found: dict[str, Found] = {}
    for pattern in _walk(get_resolver(urlconf)):
        if pattern.route.startswith(EXCLUDED_PREFIXES):
            continue
        if pattern.name in found:
            raise AssertionError(
                f"two URL patterns are named {pattern.name!r}: {found[pattern.name].route!r} "
                f"and {pattern.route!r}"
            )
        found[pattern.name] = pattern
    return found


def uncovered(patterns: dict[str, Found], covered) -> str:
    """The message naming every pattern without a matrix entry ("" when there is none)."""
    missing = sorted(set(patterns) - set(covered))
    if not missing:
        return ""
    return (
        "URL patterns without an entry in the permission matrix (tests/security/specs.py "
        "SPECS, or PUBLIC_REASONS with a reason): "
        + ", ".join(f"{name} ({patterns[name].route})" for name in missing)
    )
