"""The sources file: which sites to follow and how (YAML, a `sources` list)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DEFAULT_SCHEDULE = "@daily"
SHIPPED_SOURCES_FILE = Path(__file__).resolve().parent.parent / "dags" / "sources.yaml"

_ENV_REF = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


class SourcesError(ValueError):
    """The sources file is malformed; the message names the source and the key."""


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: tuple[str, ...]
    article_url_pattern: str
    schedule: str = DEFAULT_SCHEDULE
    language: str | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(urlsplit(u).hostname or "" for u in self.start_urls) - {""}

    def is_article_url(self, url: str) -> bool:
        return re.search(self.article_url_pattern, url) is not None


def default_sources_path() -> Path:
    return Path(os.environ.get("ETL_SOURCES_FILE") or SHIPPED_SOURCES_FILE)


def load_sources(path: str | os.PathLike | None = None) -> list[Source]:
    path = Path(path) if path else default_sources_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SourcesError(f"{path}: cannot read sources file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}: expected a mapping with a `sources` list")
    sources = [_parse_source(entry, i) for i, entry in enumerate(data["sources"])]
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SourcesError(f"{path}: duplicate source names: {', '.join(duplicates)}")
    return sources


def _parse_source(entry, index: int) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"source #{index + 1}: expected a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_]*", name or ""):
        raise SourcesError(f"source #{index + 1}: `name` must be lower-case letters, digits and _")
    known = {"name", "start_urls", "article_url_pattern", "schedule", "language"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise SourcesError(f"source {name!r}: unknown key(s): {', '.join(unknown)}")
    start_urls = entry.get("start_urls")
    if not isinstance(start_urls, list) or not start_urls or not all(isinstance(u, str) for u in start_urls):
        raise SourcesError(f"source {name!r}: `start_urls` must be a non-empty list of URLs")
    pattern = entry.get("article_url_pattern")
    try:
        re.compile(pattern)
    except (TypeError, re.error) as exc:
        raise SourcesError(f"source {name!r}: `article_url_pattern` is not a valid regex: {exc}") from exc
    return Source(
        name=name,
        start_urls=tuple(_expand_env(u) for u in start_urls),
        article_url_pattern=_expand_env(pattern),
        schedule=entry.get("schedule") or DEFAULT_SCHEDULE,
        language=entry.get("language"),
    )


def _expand_env(value: str) -> str:
    """`${VAR}` / `${VAR:-default}`: lets one file name a site served on a port chosen at run time."""
    return _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), value)


def source_for_url(sources: list[Source], url: str) -> Source | None:
    host = urlsplit(url).hostname
    for source in sources:
        if host in source.hosts or source.is_article_url(url):
            return source
    return None


def get_source(sources: list[Source], name: str) -> Source:
    for source in sources:
        if source.name == name:
            return source
    raise SourcesError(f"no source named {name!r} (known: {', '.join(s.name for s in sources)})")
