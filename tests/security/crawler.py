"""The leak scan's legs: every page a person can reach by following links from their home, and
every GET operation of the OpenAPI document with every id of the world filled in.

The crawl follows <a href> and htmx's hx-get breadth-first within the site, and follows
redirects itself (so each hop is scanned). It leaves out signing out, the Django admin, static
files and the API's own documentation pages (the API is walked from its document instead). File
downloads (CSV, XLSX, PDF, .ics, JSON) are fetched and handed to the scanner like pages. A path
is fetched with at most VARIANTS different query strings (sorting, filters, pages), so lists with
many links stay bounded.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/api/docs/", "/api/schema/")
SKIPPED_NAMES = {"logout"}
VARIANTS = 4


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if found.get("hx-get"):
            self.links.append(found["hx-get"])


def links_of(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.links


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes
    headers: str = ""

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


def _inside(url: str) -> str | None:
    """The site-relative URL to fetch, or None for what the crawl leaves alone."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        if resolve(path).url_name in SKIPPED_NAMES:
            return None
    except Resolver404:
        pass  # fetched anyway: a link to nowhere is a finding of its own (a 404)
    return f"{path}?{parts.query}" if parts.query else path


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def crawl(client, start: str = "/", limit: int = 600) -> list[Fetched]:
    """Every page reachable from `start` by links, as `client` sees it."""
    fetched: list[Fetched] = []
    seen = {start}
    per_path: Counter = Counter()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        response = client.get(url)
        item = Fetched(
            url,
            response.status_code,
            response.get("Content-Type", ""),
            _body(response),
            headers="\n".join(f"{k}: {v}" for k, v in response.items()),
        )
        fetched.append(item)
        assert len(fetched) <= limit, f"more than {limit} pages from {start}: a link loop?"
        targets = []
        if 300 <= response.status_code < 400:
            targets = [response["Location"]]
        elif item.is_html and response.status_code == 200:
            targets = links_of(item.body.decode())
        for href in targets:
            target = _inside(urldefrag(urljoin(url, href)).url)
            if target is None or target in seen:
                continue
            path = urlsplit(target).path
            if per_path[path] >= VARIANTS:
                continue
            per_path[path] += 1
            seen.add(target)
            queue.append(target)
    return fetched


# --- The API, from its OpenAPI document ----------------------------------------------------------
def _query_variants(operation) -> list[dict]:
    """No query, then each query parameter with each of its enumerated values (a boolean as
    true and false): the lists' filters choose what they show."""
    variants: list[dict] = [{}]
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query" or parameter["name"] in ("page", "page_size"):
            continue
        schema = parameter.get("schema", {})
        boolean = ["true", "false"] if schema.get("type") == "boolean" else []
        values = schema.get("enum") or boolean
        variants += [{parameter["name"]: value} for value in values]
    return variants


def api_requests(document: dict, ids_for) -> list[tuple[str, str, dict]]:
    """(operation, path, query) for every GET of the document: each path parameter filled with
    every value `ids_for(path_template, name)` gives (all objects of the world, so objects
    outside the caller's scope are tried too), each with every query variant."""
    requests = []
    for template, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        paths = [template]
        for name in names:
            values = ids_for(template, name)
            assert values, f"no values for {{{name}}} of {template}"
            paths = [p.replace(f"{{{name}}}", str(v)) for p in paths for v in values]
        for path in paths:
            for query in _query_variants(operation):
                requests.append((f"GET {template}", path, query))
    return requests
