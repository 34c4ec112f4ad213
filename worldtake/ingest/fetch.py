"""The only network code: a careful HTTP fetcher for feeds and pages.

Every URL, and every redirect target, is resolved once and refused when an address is loopback,
private, link-local, multicast, reserved or otherwise not public (unless the `allow_networks`
setting names its network); the connection then goes to the very address that was checked, so a
second, different DNS answer cannot redirect it. Bodies are streamed and cut at
`max_download_bytes`. Requests to one host are spaced by `host_delay` and never overlap; a
`Retry-After` answer pushes the host's next turn back; page fetches obey robots.txt.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from worldtake.errors import Rejected
from worldtake.ingest.decode import decode_text
from worldtake.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[IPAddress]]

_REFUSED_TYPES = ("image/", "video/", "audio/", "font/", "application/pdf", "application/zip")
_REDIRECTS = frozenset([301, 302, 303, 307, 308])


class Throttled(Rejected):
    """The server asked us to wait (429 or 503 with Retry-After) before asking again."""

    def __init__(self, reason: str, retry_after: float, *, origin: str | None = None):
        super().__init__(reason, origin=origin)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Fetched:
    """A response: final URL, status (200, or 304 when unchanged), body and caching headers."""

    url: str
    status: int
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def is_not_modified(self) -> bool:
        """True when a conditional GET found nothing new."""
        return self.status == 304

    def text(self) -> str:
        """The body as text: the declared charset, UTF-8, then detection; never crashes."""
        return decode_text(self.body, _charset_of(self.content_type)).text


@dataclass
class Politeness:
    """Per-host turns: one request at a time per host, `delay` seconds apart, robots.txt cached."""

    delay: float = 1.0
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _next: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def lock_for(self, host: str) -> threading.Lock:
        """The lock that serialises requests to `host`."""
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait_turn(self, host: str) -> None:
        """Sleep until `host` may be asked again, then book the next turn."""
        pause = self._next.get(host, 0.0) - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._next[host] = time.monotonic() + self.delay

    def push_back(self, host: str, seconds: float) -> None:
        """Make `host` wait at least `seconds` before its next request (Retry-After)."""
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)


_POLITENESS = Politeness()


def fetch_url(
    url: str,
    settings: Settings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    is_page: bool = False,
    politeness: Politeness | None = None,
    resolver: Resolver | None = None,
) -> Fetched:
    """GET `url` safely (see the module's docstring); raise Rejected with the reason on refusal.

    `resolver` replaces the system's DNS lookup (host, port → addresses), for tests.
    """
    polite = politeness or _POLITENESS
    resolve = resolver or resolve_host
    polite.delay = settings.host_delay
    allowed = parse_networks(settings.allow_networks)
    if is_page and settings.respect_robots and not _robots_allow(url, settings, polite, resolve):
        raise Rejected("robots.txt of the site disallows this page", origin=url)
    headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate, br"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with _client(settings) as client:
        current = url
        for _ in range(settings.max_redirects + 1):
            checked = check_url(current, allowed, resolve)
            response = _get_checked(client, current, checked, headers, settings, polite)
            if not isinstance(response, str):
                return response
            current = response
    raise Rejected(f"more than {settings.max_redirects} redirects", origin=url)


def check_url(
    url: str, allowed: list[Network], resolver: Resolver | None = None
) -> tuple[str, IPAddress]:
    """Return (host, the address to connect to) for a public http(s) URL; refuse anything else.

    The host is resolved once; every address it has must be allowed, and the first one is the
    address the request then goes to, whatever a later DNS answer would say.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Rejected(
            f"scheme {parts.scheme or '(none)'!r} refused: only http and https", origin=url
        )
    host = parts.hostname
    if not host:
        raise Rejected("URL without a host", origin=url)
    addresses = (resolver or resolve_host)(
        host, parts.port or (443 if parts.scheme == "https" else 80)
    )
    for address in addresses:
        problem = address_problem(address, allowed)
        if problem:
            raise Rejected(
                f"{host} resolves to {address}, a {problem} address: refused", origin=url
            )
    return host, addresses[0]


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (one DNS query); raise Rejected when it does not."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise Rejected(f"cannot resolve {host}: {exc}") from exc
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise Rejected(f"{host} has no address")
    return found


def address_problem(address: IPAddress, allowed: list[Network]) -> str | None:
    """Why an address may not be fetched (loopback, private…), or None when it may."""
    if any(address.version == n.version and address in n for n in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped, allowed)
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def parse_networks(value: str) -> list[Network]:
    """The networks named by the `allow_networks` setting."""
    networks: list[Network] = []
    for part in value.split(","):
        if part.strip():
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
    return networks


def _client(settings: Settings) -> httpx.Client:
    timeout = httpx.Timeout(settings.fetch_timeout)
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)


def _get_checked(
    client: httpx.Client,
    url: str,
    checked: tuple[str, IPAddress],
    headers: dict[str, str],
    settings: Settings,
    polite: Politeness,
) -> Fetched | str:
    """One GET to the checked address: a Fetched, or the next URL when the answer redirects."""
    host, address = checked
    with polite.lock_for(host):
        polite.wait_turn(host)
        return _get_pinned(client, url, host, address, headers, settings, polite)


def _get_pinned(
    client: httpx.Client,
    url: str,
    host: str,
    address: IPAddress,
    headers: dict[str, str],
    settings: Settings,
    polite: Politeness,
) -> Fetched | str:
    parts = urlsplit(url)
    netloc = f"[{address}]" if address.version == 6 else str(address)
    if parts.port:
        netloc += f":{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = host if not parts.port else f"{host}:{parts.port}"
    request = client.build_request(
        "GET", pinned, headers={**headers, "Host": host_header}, extensions={"sni_hostname": host}
    )
    try:
        response = client.send(request, stream=True)
    except httpx.TimeoutException as exc:
        raise Rejected(f"timed out after {settings.fetch_timeout:g} s", origin=url) from exc
    except httpx.HTTPError as exc:
        raise Rejected(f"cannot fetch: {type(exc).__name__}: {exc}", origin=url) from exc
    try:
        return _read_response(response, url, settings, polite, host)
    finally:
        response.close()


def _read_response(
    response: httpx.Response, url: str, settings: Settings, polite: Politeness, host: str
) -> Fetched | str:
    status = response.status_code
    if status in _REDIRECTS and response.headers.get("location"):
        return urljoin(url, response.headers["location"])
    if status == 304:
        return Fetched(
            url,
            304,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
    if status in (429, 503):
        wait = _retry_after(response.headers.get("retry-after"))
        polite.push_back(host, wait)
        raise Throttled(f"HTTP {status}: the server asks to wait {wait:g} s", wait, origin=url)
    if status >= 400:
        raise Rejected(f"HTTP {status} {response.reason_phrase}", origin=url)
    content_type = response.headers.get("content-type")
    if content_type and content_type.lower().startswith(_REFUSED_TYPES):
        raise Rejected(f"content type {content_type} is not a news source", origin=url)
    body = _read_capped(response, url, settings.max_download_bytes, settings.fetch_timeout)
    return Fetched(
        url,
        status,
        body,
        content_type,
        response.headers.get("etag"),
        response.headers.get("last-modified"),
    )


def _read_capped(response: httpx.Response, url: str, limit: int, timeout: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Rejected(f"response of {declared} bytes is over the {limit}-byte limit", origin=url)
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + 6 * timeout
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise Rejected(f"response cut at the {limit}-byte limit and refused", origin=url)
            if time.monotonic() > deadline:
                raise Rejected(f"response still arriving after {6 * timeout:g} s", origin=url)
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise Rejected(f"timed out after {timeout:g} s while reading", origin=url) from exc
    except httpx.HTTPError as exc:
        raise Rejected(f"broken response: {type(exc).__name__}: {exc}", origin=url) from exc
    return b"".join(chunks)


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (delta or HTTP date); 60 when absent or odd."""
    if not value:
        return 60.0
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 60.0
    return max(0.0, when.timestamp() - time.time())


def _robots_allow(url: str, settings: Settings, polite: Politeness, resolve: Resolver) -> bool:
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    if root not in polite._robots:
        polite._robots[root] = _load_robots(root, settings, polite, resolve)
    parser = polite._robots[root]
    return True if parser is None else parser.can_fetch(settings.user_agent, url)


def _load_robots(
    root: str, settings: Settings, polite: Politeness, resolve: Resolver
) -> RobotFileParser | None:
    """The site's robots.txt, or None (everything allowed) when it has none."""
    try:
        fetched = fetch_url(f"{root}/robots.txt", settings, politeness=polite, resolver=resolve)
    except Rejected as exc:
        if isinstance(exc, Throttled) or "HTTP 4" not in exc.reason:
            raise Rejected(f"robots.txt unavailable: {exc.reason}", origin=root) from exc
        return None
    parser = RobotFileParser()
    parser.parse(fetched.text().splitlines() if fetched.body.strip() else [])
    return parser


def _charset_of(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
