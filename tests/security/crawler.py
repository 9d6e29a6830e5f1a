"""The leak scan's legs: every page a person can reach by following links from their home, and
every GET operation of the OpenAPI document with every id of the world filled in.

The crawl follows <a href>, htmx's hx-get and GET forms (sent with their defaults and with each
other option of each select) breadth-first within the site, and follows redirects itself (so
each hop is scanned). It leaves out signing out, the Django admin, static
files and the API's own documentation pages (the API is walked from its document instead). File
downloads (CSV, XLSX, PDF, .ics, JSON) are fetched and handed to the scanner like pages. A path
is fetched with at most VARIANTS different query strings (sorting, filters, pages), a file with
at most DOWNLOAD_VARIANTS, so lists with many links stay bounded.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import zip_longest
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

from django.urls import Resolver404, resolve

SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/api/docs/", "/api/schema/")
SKIPPED_NAMES = {"logout"}
VARIANTS = 8
DOWNLOAD_VARIANTS = 2  # a file (report.pdf, figures.csv) is the page's figures again


class _Links(HTMLParser):
    """Links, and what a GET form sends: its defaults, and each other option of each of its
    selects (a filter by team, pool, care provider or month shows another page)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: list | None = None

    def handle_starttag(self, tag, attrs):
        found = {k: v or "" for k, v in attrs}
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if found.get("hx-get"):
            self.links.append(found["hx-get"])
        if tag == "form" and found.get("method", "get").lower() == "get":
            self._form = {"action": found.get("action", ""), "fields": [], "selects": []}
        elif self._form is not None and tag == "input" and found.get("name"):
            kind = found.get("type", "text")
            if kind not in ("checkbox", "radio", "submit", "button") or "checked" in found:
                self._form["fields"].append((found["name"], found.get("value", "")))
        elif self._form is not None and tag == "select" and found.get("name"):
            self._select = [found["name"], None, []]
        elif self._select is not None and tag == "option":
            value = found.get("value", "")
            self._select[2].append(value)
            if "selected" in found or self._select[1] is None:
                self._select[1] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            self._form["selects"].append(self._select)
            self._select = None
        elif tag == "form" and self._form is not None:
            self.links += _form_urls(self._form)
            self._form = None


def _form_urls(form: dict) -> list[str]:
    def url(changed: dict) -> str:
        chosen = {name: default for name, default, _options in form["selects"]} | changed
        pairs = [*form["fields"], *((k, v) for k, v in chosen.items() if v is not None)]
        return f"{form['action']}?{urlencode(pairs)}"

    # Round the selects, one option of each in turn: every filter is tried within VARIANTS.
    others = [
        [(name, option) for option in options if option != default]
        for name, default, options in form["selects"]
    ]
    urls = [url({})]
    for turn in zip_longest(*others):
        urls += [url({name: option}) for name, option in filter(None, turn)]
    return urls


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
            is_file = "." in path.rsplit("/", 1)[-1]
            if per_path[path] >= (DOWNLOAD_VARIANTS if is_file else VARIANTS):
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
