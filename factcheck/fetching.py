"""The one outbound HTTP client: fetching a news article from a URL given by an API user, who
may be hostile, outlets' feeds and other desks' fact-checks, and POSTing webhooks to subscribers'
URLs. Pure: no Django import.

The danger is server-side request forgery: a URL (or a redirect, or a DNS answer)
that makes this service talk to itself, to the cloud metadata service at
169.254.169.254 or to anything else on the private network. So:

- only http and https, no user name or password in the URL;
- the host is resolved once, EVERY address it resolves to is checked (IPv6 wrappers
  around IPv4 addresses are unwrapped first), and the connection goes to a checked
  address itself, never to the host name again, so DNS rebinding between check and
  connect cannot work; https certificates are still checked against the host name;
- redirects are followed by hand, each hop checked exactly like the first (a GET of an
  article), or never followed at all (a POST of a webhook: a 3xx is an answer like any other);
- the whole exchange has one time budget (resolving, connecting, sending, every read), the
  answer one byte cap, and only text types an article can come in are accepted.

A slow peer therefore costs at most the time budget: a server that trickles its answer
one byte at a time is cut off when the budget runs out, not after a per-read timeout
restarted by every byte.

FetchRefused means the URL may not be fetched (the API answers 400; a webhook is given
up); FetchFailed means the site could not be reached or answered badly (502; a webhook
is retried). Both messages say why, in words a user can act on, and name the site by
its host and port only: a URL's path and query may carry secrets.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import ipaddress
import queue
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple, cast
from urllib.parse import quote, urljoin, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses the host name resolves to, as strings.
Resolver = Callable[[str, int], Iterable[str]]
# An address -> whether this service may connect to it.
AddressPolicy = Callable[[IPAddress], bool]

USER_AGENT = "factcheck-service/1.0 (+self-hosted)"
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8"
ACCEPTED_CONTENT_TYPES = frozenset(["text/html", "application/xhtml+xml", "text/plain", "text/markdown"])
# A feed (RSS, Atom) comes as XML under one of these names; some servers send it as text/html or plain text.
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
FEED_CONTENT_TYPES = (
    frozenset(["application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"])
    | ACCEPTED_CONTENT_TYPES
)
# Other desks' fact-checks (services/imported_reviews.py): a page carrying ClaimReview markup, or a JSON feed of them.
JSON_CONTENT_TYPES = frozenset(["application/json", "application/ld+json", "application/feed+json"])
REVIEWS_ACCEPT = "application/ld+json,application/json;q=0.9,text/html;q=0.9,application/xhtml+xml;q=0.8,*/*;q=0.1"


class Wanted(NamedTuple):
    """What a GET asks for (its Accept header) and the content types of the answers it takes."""

    accept: str
    content_types: frozenset[str]


PAGES = Wanted(ACCEPT, ACCEPTED_CONTENT_TYPES)
FEEDS = Wanted(FEED_ACCEPT, FEED_CONTENT_TYPES)
REVIEWS = Wanted(REVIEWS_ACCEPT, JSON_CONTENT_TYPES | ACCEPTED_CONTENT_TYPES)
NOT_MODIFIED = 304
REDIRECT_STATUSES = frozenset([301, 302, 303, 307, 308])
# Longer URLs are not links to articles; the cap also bounds the work done on them.
MAX_URL_LENGTH = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}
_READ_CHUNK = 64 * 1024
# A host name after IDNA encoding; anything else (backslashes, percent signs, zone
# ids) is refused rather than handed to the resolver or put in a Host header.
_HOST_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")
# Characters left as they are when the path and query are sent: everything printable
# in ASCII that may appear there. Non-ASCII (from a Location header, say) is UTF-8
# percent-encoded, because the request line must be ASCII.
_PATH_SAFE = "!$%&'()*+,/:;=?@[]~"
# NAT64 (RFC 6052): a packet to 64:ff9b::a.b.c.d is delivered to a.b.c.d.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchRefused(Exception):
    """The URL may not be fetched; the message says why (a 400 for the API user)."""


class FetchFailed(Exception):
    """The site could not be fetched; the message says why (a 502 for the API user)."""


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # lower-case media type without parameters; "" when the site sent none
    charset: str | None  # lower-case, as the site declared it; not checked to be a known codec
    body: bytes
    status: int = 200  # 304 (NOT_MODIFIED, empty body) only when asked conditionally (fetch_feed)
    etag: str = ""  # the validators a conditional request sends back next time
    last_modified: str = ""


@dataclass(frozen=True)
class Posted:
    """A receiver's answer to a POST. A redirect is not followed: its status and Location are here."""

    status: int
    reason: str
    location: str  # the Location header, "" when there is none
    reply: bytes  # the start of the body, at most the max_reply_bytes asked for


def is_public_address(ip: IPAddress) -> bool:
    """Whether ip, and every IPv4 address it stands for, is a public unicast address.

    ipaddress's is_global refuses loopback, private, link-local (169.254.169.254
    among them), shared (100.64/10), unspecified, documentation and reserved
    ranges, but in Python 3.11 it calls multicast and IPv6 site-local addresses
    global, so those are refused here by name. Reserved IPv6 ranges are refused
    too: ::/8 holds the deprecated IPv4-compatible ::a.b.c.d form.
    """
    for candidate in _destinations(ip):
        if not candidate.is_global or candidate.is_multicast or candidate.is_reserved:
            return False
        if isinstance(candidate, ipaddress.IPv6Address) and candidate.is_site_local:
            return False
    return True


def _destinations(ip: IPAddress) -> list[IPAddress]:
    """ip and the IPv4 addresses a packet sent to it may really reach."""
    if isinstance(ip, ipaddress.IPv4Address):
        return [ip]
    if ip.ipv4_mapped is not None:  # ::ffff:10.0.0.1 is 10.0.0.1 on a dual-stack socket
        return [ip.ipv4_mapped]
    if ip in _NAT64:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip.sixtofour is not None:  # 2002:0a00:0001:: is relayed to 10.0.0.1
        return [ip, ip.sixtofour]
    if ip.teredo is not None:  # (server, client)
        return [ip, *ip.teredo]
    return [ip]


def host_of(url: str) -> str:
    """The URL's host in lower case; "" when it has none or cannot be read."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def resolve_host(host: str, port: int) -> list[str]:
    """The addresses host resolves to, as the system resolver gives them.

    getaddrinfo also turns the odd IPv4 spellings ipaddress does not read
    ("2130706433", "0x7f.1", "0177.0.0.1", "127.1") into plain addresses, which
    is why every host that is not a plain address literal goes through here.
    """
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def fetch_url(
    url: str,
    *,
    wanted: Wanted = PAGES,
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    allow_private: bool = False,
    is_allowed: AddressPolicy = is_public_address,
    resolve: Resolver = resolve_host,
) -> Fetched:
    """GET url and return the page, or raise FetchRefused / FetchFailed saying why.

    timeout bounds the whole fetch (resolving, connecting, every redirect and every
    read), not each step. max_redirects is the number of redirects followed.
    is_allowed decides which resolved addresses may be connected to (it is asked
    about each address exactly as it will be connected to); allow_private=True
    skips that check (tests, closed networks) and nothing else. resolve is the DNS
    lookup, replaceable in tests. wanted: a page (PAGES), or other desks' fact-checks
    (REVIEWS: JSON besides a page's types).
    """
    return _get(
        url,
        headers=_headers(wanted),
        accepted=wanted.content_types,
        max_bytes=max_bytes,
        timeout=timeout,
        max_redirects=max_redirects,
        policy=_allow_any if allow_private else is_allowed,
        resolve=resolve,
    )


def fetch_feed(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    allow_private: bool = False,
    is_allowed: AddressPolicy = is_public_address,
    resolve: Resolver = resolve_host,
) -> Fetched:
    """GET a feed as fetch_url gets a page (the same checks, budget and cap), conditionally: with the
    validators of the last answer (ETag, Last-Modified), an unchanged feed answers 304 and costs no
    body (``status`` NOT_MODIFIED). Feed types are accepted besides a page's."""
    headers = _headers(FEEDS)
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return _get(
        url,
        headers=headers,
        accepted=FEEDS.content_types,
        max_bytes=max_bytes,
        timeout=timeout,
        max_redirects=max_redirects,
        policy=_allow_any if allow_private else is_allowed,
        resolve=resolve,
    )


def _headers(wanted: Wanted) -> dict[str, str]:
    return {"User-Agent": USER_AGENT, "Accept": wanted.accept}


def _get(
    url: str,
    *,
    headers: Mapping[str, str],
    accepted: frozenset[str],
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    policy: AddressPolicy,
    resolve: Resolver,
) -> Fetched:
    if timeout <= 0 or max_bytes < 0 or max_redirects < 0:
        raise ValueError("timeout must be positive, max_bytes and max_redirects not negative")
    # Header values the caller passes back (validators a server sent) must not inject headers.
    if any("\r" in value or "\n" in value for value in headers.values()):
        raise ValueError("a header value holds a line break")
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(max_redirects + 1):
        target = _parse(current)
        addresses = _checked_addresses(target, policy=policy, resolve=resolve, deadline=deadline)
        with _as_fetch_failed(target, timeout):
            connection = _connect(target, addresses, deadline)
            try:
                with _send(connection, target, "GET", headers=headers) as response:
                    if response.status in REDIRECT_STATUSES:
                        current = _redirect_location(response, current)
                        continue
                    if response.status == NOT_MODIFIED and (
                        "If-None-Match" in headers or "If-Modified-Since" in headers
                    ):
                        return Fetched(
                            url=url,
                            final_url=current,
                            content_type="",
                            charset=None,
                            body=b"",
                            status=NOT_MODIFIED,
                            etag=_validator(response, "ETag"),
                            last_modified=_validator(response, "Last-Modified"),
                        )
                    return _fetched(response, url=url, final_url=current, max_bytes=max_bytes, accepted=accepted)
            finally:
                connection.close()
    raise FetchRefused(f"the site redirected more than {max_redirects} times")


def _validator(response: http.client.HTTPResponse, name: str) -> str:
    """A cache validator the server sent (ETag, Last-Modified), kept only if it is short and printable."""
    value = (response.msg.get(name) or "").strip()
    return value if len(value) <= 200 and value.isprintable() else ""


def post_url(
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    max_reply_bytes: int,
    allow_private: bool = False,
    is_allowed: AddressPolicy = is_public_address,
    resolve: Resolver = resolve_host,
) -> Posted:
    """POST body to url once and return the answer, or raise FetchRefused / FetchFailed saying why.

    The same rules as fetch_url (one time budget for everything, checked and pinned
    addresses), except that a redirect is returned, never followed: the body would go
    where the receiver says, unasked. The status is the answer: only the first
    max_reply_bytes of the reply are read (a receiver has nothing to say that needs more),
    and a reply cut short by the deadline or a hang-up is returned as far as it came.
    headers are sent as given, except Host and Connection, which the client sets.
    """
    if timeout <= 0 or max_reply_bytes < 0:
        raise ValueError("timeout must be positive, max_reply_bytes not negative")
    deadline = time.monotonic() + timeout
    target = _parse(url)
    addresses = _checked_addresses(
        target, policy=_allow_any if allow_private else is_allowed, resolve=resolve, deadline=deadline
    )
    with _as_fetch_failed(target, timeout):
        connection = _connect(target, addresses, deadline)
        try:
            with _send(connection, target, "POST", headers=headers, body=body) as response:
                reply = _read_reply(response, max_reply_bytes)
                location = (response.msg.get("Location") or "").strip()
                return Posted(status=response.status, reason=response.reason, location=location, reply=reply)
        finally:
            connection.close()


def check_url(url: str, *, allow_private: bool = False, is_allowed: AddressPolicy = is_public_address) -> None:
    """Raise FetchRefused if url could never be fetched: its shape, scheme or host, or an
    address literal that is not allowed. Cheap (no DNS lookup, no connection), for refusing
    a URL at once; the full check, resolved addresses included, happens again when it is
    fetched."""
    target = _parse(url)
    literal = _ip_literal(target.host)
    if literal is not None and not allow_private and not is_allowed(literal):
        raise FetchRefused(_not_public(str(literal)))


def _allow_any(ip: IPAddress) -> bool:
    return True


def _not_public(where: str) -> str:
    return (
        f"{where} is not a public address (loopback, private, link-local and other "
        "internal addresses are never fetched)"
    )


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # lower-case, IDNA-encoded, without the brackets of an IPv6 literal
    port: int
    host_header: str
    request_target: str  # path and query, ASCII


def _parse(url: str) -> _Target:
    if not url:
        raise FetchRefused("no URL was given")
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused(f"the URL is longer than {MAX_URL_LENGTH} characters")
    # urlsplit silently drops tabs and newlines; a URL with them (or with spaces or
    # control characters) is refused instead of being quietly changed.
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise FetchRefused("the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused("the URL is not valid (check the host and the port)") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise FetchRefused("the URL must start with http:// or https://")
    if scheme not in _DEFAULT_PORTS:
        raise FetchRefused(f"only http and https URLs can be fetched, not {scheme}: URLs")
    if "@" in parts.netloc:
        raise FetchRefused("URLs with a user name or password are not accepted")
    host = _ascii_host(parts.hostname or "")
    if port is None:
        port = _DEFAULT_PORTS[scheme]
    elif port == 0:
        raise FetchRefused("the URL's port is not valid")
    shown_host = f"[{host}]" if ":" in host else host
    host_header = shown_host if port == _DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    path = parts.path or "/"
    request_target = quote(f"{path}?{parts.query}" if parts.query else path, safe=_PATH_SAFE)
    return _Target(scheme=scheme, host=host, port=port, host_header=host_header, request_target=request_target)


def _ascii_host(host: str) -> str:
    if not host:
        raise FetchRefused("the URL has no host")
    if _ip_literal(host) is not None:
        return host
    try:
        encoded = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchRefused("the URL's host name is not valid") from None
    if not _HOST_NAME.fullmatch(encoded):
        raise FetchRefused("the URL's host name is not valid")
    return encoded


def _ip_literal(host: str) -> IPAddress | None:
    # A zone id ("fe80::1%eth0") is refused as a host name by _ascii_host.
    if "%" in host:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _checked_addresses(
    target: _Target, *, policy: AddressPolicy, resolve: Resolver, deadline: float
) -> list[IPAddress]:
    """The addresses to connect to, every one of them allowed by the policy.

    One refused address refuses the host: which address a client ends up using is
    not up to us, and an attacker's DNS can list a public address first.
    """
    literal = _ip_literal(target.host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = []
        for answer in _resolve_in_time(resolve, target.host, target.port, deadline):
            try:
                addresses.append(ipaddress.ip_address(answer))
            except ValueError:
                raise FetchRefused(f"{target.host} resolves to something that is not an IP address") from None
        if not addresses:
            raise FetchFailed(f"{target.host} has no address")
    addresses = list(dict.fromkeys(addresses))
    for ip in addresses:
        if not policy(ip):
            where = str(ip) if literal is not None else f"{target.host} resolves to {ip}, which"
            raise FetchRefused(_not_public(where))
    return addresses


def _resolve_in_time(resolve: Resolver, host: str, port: int, deadline: float) -> list[str]:
    """resolve(host, port), given up on when the time budget runs out.

    getaddrinfo takes no timeout, so it runs in a daemon thread that is left behind
    (it ends when the system resolver gives up) if it takes too long.
    """
    answers: queue.SimpleQueue[tuple[list[str], BaseException | None]] = queue.SimpleQueue()

    def lookup() -> None:
        try:
            answers.put((list(resolve(host, port)), None))
        except Exception as error:
            answers.put(([], error))

    threading.Thread(target=lookup, name=f"factcheck-resolve {host}", daemon=True).start()
    try:
        result, error = answers.get(timeout=max(deadline - time.monotonic(), 0.0))
    except queue.Empty:
        raise FetchFailed(f"looking up {host} took longer than the time allowed") from None
    if isinstance(error, UnicodeError):
        raise FetchRefused("the URL's host name is not valid")
    if isinstance(error, OSError):
        raise FetchFailed(f"{host} could not be found ({error.strerror or error})")
    if error is not None:
        raise error
    return result


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Certificate and host name checks on, system trust store: the defaults.
    return ssl.create_default_context()


class _DeadlineSocket:
    """A socket whose every send and receive waits at most until the fetch's deadline.

    A plain socket timeout bounds each call, so a server dripping one byte a second
    could hold a fetch for ever; this bounds the sum. http.client uses only sendall,
    makefile and close on a connected socket. Like a real socket, it stays open
    until the connection AND the response reading from it are closed: http.client
    closes the connection as soon as the response headers say it will not be reused.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._readers = 0
        self._closed = False

    def _arm(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the time budget ran out")
        self._sock.settimeout(remaining)

    def sendall(self, data: bytes) -> None:
        self._arm()
        self._sock.sendall(data)

    def recv_into(self, buffer: memoryview) -> int:
        self._arm()
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def reader_closed(self) -> None:
        self._readers -= 1
        self._close_when_unused()

    def close(self) -> None:
        self._closed = True
        self._close_when_unused()

    def _close_when_unused(self) -> None:
        if self._closed and self._readers == 0:
            self._sock.close()


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket) -> None:
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._sock.reader_closed()
        super().close()


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP or HTTPS connection to one checked address, whatever the host name resolves to now.

    The Host header and the TLS server name (SNI and certificate check) still use
    the host name from the URL.
    """

    def __init__(self, target: _Target, ip: IPAddress, deadline: float) -> None:
        super().__init__(target.host, target.port)
        self._target = target
        self._ip = ip
        self._deadline = deadline

    def connect(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the time budget ran out")
        sock = socket.create_connection((str(self._ip), self._target.port), timeout=remaining)
        if self._target.scheme == "https":
            try:
                sock = _tls_context().wrap_socket(sock, server_hostname=self._target.host)
            except BaseException:
                sock.close()
                raise
        # Duck-typed: see _DeadlineSocket.
        self.sock = cast(socket.socket, _DeadlineSocket(sock, self._deadline))


def _connect(target: _Target, addresses: list[IPAddress], deadline: float) -> _PinnedConnection:
    """A connection to the first of the (checked) addresses that answers."""
    error: OSError | None = None
    for ip in addresses:
        connection = _PinnedConnection(target, ip, deadline)
        try:
            connection.connect()
        except OSError as this_error:
            connection.close()
            error = this_error
        else:
            return connection
    assert error is not None  # addresses is never empty
    raise error


# http.client adds Accept-Encoding: identity: a compressed body would need
# decompressing, and so a cap on the decompressed size too.


def _send(
    connection: _PinnedConnection,
    target: _Target,
    method: str,
    *,
    headers: Mapping[str, str],
    body: bytes | None = None,
) -> http.client.HTTPResponse:
    # Host names the site as the URL does (the connection goes to a pinned address);
    # one request per connection, so nothing waits on a kept-alive socket.
    connection.request(
        method,
        target.request_target,
        body=body,
        headers={**headers, "Host": target.host_header, "Connection": "close"},
    )
    return connection.getresponse()


def _redirect_location(response: http.client.HTTPResponse, current: str) -> str:
    location = (response.msg.get("Location") or "").strip()
    if not location:
        raise FetchFailed(f"the site answered {response.status} (a redirect) without saying where to")
    # http.client reads header bytes as Latin-1; sites that put non-ASCII in a
    # Location send UTF-8, which _parse then percent-encodes.
    with contextlib.suppress(UnicodeError):
        location = location.encode("latin-1").decode("utf-8")
    return urljoin(current, location)


def _fetched(
    response: http.client.HTTPResponse,
    *,
    url: str,
    final_url: str,
    max_bytes: int,
    accepted: frozenset[str] = ACCEPTED_CONTENT_TYPES,
) -> Fetched:
    if not 200 <= response.status < 300:
        raise FetchFailed(f"the site answered {response.status} {response.reason}".rstrip())
    content_type, charset = _content_type(response, accepted)
    encoding = (response.msg.get("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchFailed(f"the site sent a {encoding}-encoded body although none was asked for")
    # response.length is the Content-Length http.client will honour (None when chunked
    # or absent): too much is refused before a byte of the body is read.
    if response.length is not None and response.length > max_bytes:
        raise FetchRefused(f"the page is {response.length} bytes, more than the {max_bytes} allowed")
    body = _read_at_most(response, max_bytes)
    if len(body) > max_bytes:
        raise FetchRefused(f"the page is more than the {max_bytes} bytes allowed")
    return Fetched(
        url=url,
        final_url=final_url,
        content_type=content_type,
        charset=charset,
        body=body,
        etag=_validator(response, "ETag"),
        last_modified=_validator(response, "Last-Modified"),
    )


def _read_at_most(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The body, read up to one byte past max_bytes (so a caller can tell "too long"), then
    no further: whatever a site sends beyond that is never read."""
    body = bytearray()
    while len(body) <= max_bytes:
        chunk = response.read(min(_READ_CHUNK, max_bytes + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _read_reply(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    reply = bytearray()
    # The status line and headers arrived in time; the body is only informative, so
    # running out of time (or a hang-up) while reading it does not undo the answer.
    with contextlib.suppress(OSError, http.client.HTTPException):
        while len(reply) < max_bytes:
            chunk = response.read(min(_READ_CHUNK, max_bytes - len(reply)))
            if not chunk:
                break
            reply += chunk
    return bytes(reply)


def _content_type(
    response: http.client.HTTPResponse, accepted: frozenset[str] = ACCEPTED_CONTENT_TYPES
) -> tuple[str, str | None]:
    # getheader joins repeated headers with ", ", so two conflicting types are refused.
    media_type = (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower()
    if not media_type:  # no stated type: let the reader of the body decide
        return "", None
    if media_type not in accepted:
        names = ", ".join(sorted(accepted))
        raise FetchRefused(f"the page is {media_type}; only {names} can be fetched")
    return media_type, response.msg.get_content_charset()


@contextlib.contextmanager
def _as_fetch_failed(target: _Target, timeout: float) -> Iterator[None]:
    """Network and protocol errors, turned into FetchFailed with a readable reason."""
    site = target.host_header
    try:
        yield
    except (FetchRefused, FetchFailed):
        raise
    except TimeoutError:
        raise FetchFailed(f"{site} did not answer in time ({timeout:g} s allowed)") from None
    except ConnectionRefusedError:
        raise FetchFailed(f"{site} refused the connection") from None
    except ssl.SSLCertVerificationError as error:
        raise FetchFailed(f"the TLS certificate of {site} is not valid ({error.verify_message})") from None
    except ssl.SSLError as error:
        raise FetchFailed(f"the TLS connection to {site} failed ({error.reason or error})") from None
    except http.client.HTTPException:  # before OSError: RemoteDisconnected is both
        raise FetchFailed(f"{site} did not send a valid HTTP response") from None
    except OSError as error:
        raise FetchFailed(f"could not reach {site} ({error.strerror or error})") from None
