"""Video links for /video: validation, platform recognition, duplicate key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

from bot.domain.creators import Platform
from bot.domain.money import DomainError

# Host suffixes per platform; a subdomain (www., vm., v.) matches its parent.
PLATFORM_DOMAINS: tuple[tuple[str, Platform], ...] = (
    ("tiktok.com", Platform.TIKTOK),
    ("douyin.com", Platform.DOUYIN),
    ("iesdouyin.com", Platform.DOUYIN),
    ("channels.weixin.qq.com", Platform.CHANNELS),
    ("xiaohongshu.com", Platform.XIAOHONGSHU),
    ("xhslink.com", Platform.XIAOHONGSHU),
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Share texts from Douyin/Xiaohongshu wrap the link in prose ("复制打开抖音，看看… https://…").
_EMBEDDED_URL = re.compile(r"https?://[^\s，。！？、；：“”‘’（）《》【】<>\"']+", re.IGNORECASE)
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class VideoLink:
    url: str  # as given (trimmed), for display and the ads chat
    platform: Platform
    canonical: str  # for the duplicate check


class VideoUrlError(DomainError):
    """Code bad_url (value, reason: empty/scheme/host/malformed)."""


def _bad(text: str, reason: str) -> VideoUrlError:
    return VideoUrlError("bad_url", value=text, reason=reason)


def _split(text: str) -> tuple[str, SplitResult]:
    """Parse and validate; refusals: `bad_url` with reason empty/scheme/host/malformed."""
    candidate = text.strip().strip("<>")
    if not candidate:
        raise _bad(text, "empty")
    if any(ch.isspace() for ch in candidate):
        found = _EMBEDDED_URL.search(candidate)
        if found is None:
            raise _bad(text, "malformed")
        candidate = found.group(0)
    try:
        parts = urlsplit(candidate)
        _ = parts.port  # raises ValueError on a non-numeric or out-of-range port
    except ValueError:
        raise _bad(text, "malformed") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise _bad(text, "scheme")
    host = (parts.hostname or "").rstrip(".")
    if not host or "." not in host:
        raise _bad(text, "host")
    try:
        labels_ok = all(
            _HOST_LABEL.fullmatch(label) for label in host.encode("idna").decode("ascii").split(".")
        )
    except UnicodeError:
        labels_ok = False
    if not labels_ok:
        raise _bad(text, "host")
    return candidate, parts


def platform_of_host(host: str) -> Platform:
    host = host.lower().rstrip(".")
    for domain, platform in PLATFORM_DOMAINS:
        if host == domain or host.endswith("." + domain):
            return platform
    return Platform.OTHER


def _canonical(parts: SplitResult) -> str:
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host
    if parts.port is not None and parts.port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def parse_video_url(text: str) -> VideoLink:
    url, parts = _split(text)
    return VideoLink(
        url=url,
        platform=platform_of_host(parts.hostname or ""),
        canonical=_canonical(parts),
    )


def canonical(url: str) -> str:
    """Duplicate-check key: scheme and host lowercased, default port, fragment and trailing
    slash dropped; path and query kept as they are (case matters in short-link paths)."""
    return _canonical(_split(url)[1])
