"""Fetching articles from URLs given by API users: pure, no database.

Every server here listens on 127.0.0.1 only, is started and stopped by a fixture
and answers within a few seconds. Fetches that should work against them use a
policy allowing exactly 127.0.0.1 (ONLY_LOOPBACK): the public-address rule itself
refuses loopback, and that refusal is tested first.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factcheck import fetching
from factcheck.fetching import (
    ACCEPT,
    NOT_MODIFIED,
    USER_AGENT,
    Fetched,
    FetchFailed,
    FetchRefused,
    IPAddress,
    Posted,
    check_url,
    fetch_feed,
    fetch_url,
    is_public_address,
    post_url,
)

LOOPBACK = ipaddress.IPv4Address("127.0.0.1")
MAX_BYTES = 10_000
# Long enough not to trip on a slow test machine; tests of the budget use 1 second.
TIMEOUT = 5.0


def only_loopback(ip: IPAddress) -> bool:
    return ip == LOOPBACK


def fetch(url: str, **options: object) -> Fetched:
    arguments: dict[str, object] = {"max_bytes": MAX_BYTES, "timeout": TIMEOUT, "max_redirects": 3}
    arguments.update(options)
    return fetch_url(url, **arguments)  # type: ignore[arg-type]


def fake_resolver(*addresses: str) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


def no_resolver(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host} should not have been resolved")


# --- servers -----------------------------------------------------------------


class Listener:
    """A socket on 127.0.0.1 that accepts connections, counts them and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stopped = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                self.accepted.append(self.sock.accept()[0])
            except TimeoutError:
                continue

    def stop(self) -> int:
        """Stop accepting; the number of connections made, counting any still in the backlog."""
        if self.stopped:
            return len(self.accepted)
        self.stopped = True
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.setblocking(False)
        while True:
            try:
                self.accepted.append(self.sock.accept()[0])
            except BlockingIOError:
                break
        for conn in self.accepted:
            conn.close()
        self.sock.close()
        return len(self.accepted)


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.stop()


Route = Callable[["Handler"], None]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.port: int = self.server_address[1]
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.bodies: list[bytes] = []  # of POSTs
        # Set when the test ends: handlers that stall wait for it, bounded.
        self.stopping = threading.Event()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on a handler is what several tests want

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
        else:
            route(self)

    def do_POST(self) -> None:
        self.server.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serving(httpd: Server) -> Iterator[Server]:
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.stopping.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serving(Server())


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for news.example (and nothing else), with its key beside it."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    directory = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem"), "-days", "2"),
            *("-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return directory / "cert.pem"


@pytest.fixture
def tls_server(certificate: Path) -> Iterator[Server]:
    httpd = Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, certificate.with_name("key.pem"))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    yield from serving(httpd)


@pytest.fixture
def trusting_the_certificate(certificate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = ssl.create_default_context(cafile=certificate)
    monkeypatch.setattr(fetching, "_tls_context", lambda: context)


def page(
    body: bytes = b"<p>Harbour bridge reopens</p>", content_type: str | None = "text/html; charset=utf-8"
) -> Route:
    def respond(handler: Handler) -> None:
        handler.send_response(200)
        if content_type is not None:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def redirect(location: str, status: int = 302) -> Route:
    def respond(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def raw(*pieces: bytes, pause: float = 0.0, then_stall: bool = False) -> Route:
    """Write the response bytes as given (pausing between pieces), then maybe stall until the test ends."""

    def respond(handler: Handler) -> None:
        handler.close_connection = True
        try:
            for piece in pieces:
                handler.wfile.write(piece)
                handler.wfile.flush()
                if pause:
                    handler.server.stopping.wait(pause)
            if then_stall:
                handler.server.stopping.wait(10)
        except OSError:  # the client hung up, as it should
            pass

    return respond


def endless(handler: Handler) -> None:
    """A close-delimited body that goes on until the client hangs up or the test ends."""
    handler.close_connection = True
    try:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n")
        while not handler.server.stopping.is_set():
            handler.wfile.write(b"x" * 4096)
    except OSError:
        pass


# --- refusals before any connection ------------------------------------------


@pytest.mark.parametrize(
    "url_template",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://2130706433:{port}/",
        "http://0x7f.1:{port}/",
        "http://0177.0.0.1:{port}/",
        "http://127.1:{port}/",
        "https://127.0.0.1:{port}/",
    ],
)
def test_it_refuses_loopback_without_connecting(listener: Listener, url_template: str) -> None:
    with pytest.raises(FetchRefused, match="not a public address"):
        fetch(url_template.format(port=listener.port))
    assert listener.stop() == 0


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "169.254.169.254",
        "10.0.0.5",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::a00:1",
        "2002:a00:1::",
        "2001::1",
        "2001:db8::1",
    ],
)
def test_it_refuses_a_host_name_resolving_to_an_internal_address(address: str) -> None:
    shown = re.escape(str(ipaddress.ip_address(address)))
    with pytest.raises(FetchRefused, match=rf"evil\.example resolves to {shown}, which is not a public address"):
        fetch("http://evil.example/", resolve=fake_resolver(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:10.0.0.1]/",
        "https://[::ffff:a9fe:a9fe]/",
    ],
)
def test_it_refuses_an_internal_address_literal_without_resolving_it(url: str) -> None:
    with pytest.raises(FetchRefused, match="is not a public address"):
        fetch(url, resolve=no_resolver)


@pytest.mark.parametrize(
    "addresses",
    [
        ("93.184.215.14", "10.1.2.3"),
        ("10.1.2.3", "93.184.215.14"),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"),
    ],
)
def test_it_refuses_a_host_name_with_any_internal_address(addresses: tuple[str, ...]) -> None:
    with pytest.raises(FetchRefused, match="not a public address"):
        fetch("http://evil.example/", resolve=fake_resolver(*addresses))


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),
        ("2002:808:808::1", True),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("192.0.2.1", False),
        ("224.0.0.1", False),
        ("ff0e::1", False),
        ("fec0::1", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::", False),
        ("::8.8.8.8", False),
    ],
)
def test_it_tells_public_addresses_from_internal_ones(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "no URL"),
        ("ftp://example.org/article", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://127.0.0.1:6379/_INFO", "only http and https"),
        ("example.org/article", "must start with http"),
        ("http://user:pw@example.org/", "user name or password"),
        ("http://user@example.org/", "user name or password"),
        ("http://example.org\\@127.0.0.1/", "user name or password"),
        ("http:///nohost", "no host"),
        ("http://", "no host"),
        ("http://example.org:99999/", "not valid"),
        ("http://example.org:0/", "port is not valid"),
        ("http://example.org:http/", "not valid"),
        ("http://[::1/", "not valid"),
        ("http://[fe80::1%25eth0]/", "host name is not valid"),
        ("http://exa mple.org/", "spaces or control characters"),
        ("http://example.org/\r\nX-Injected: 1", "spaces or control characters"),
        ("http://exam\tple.org/", "spaces or control characters"),
        ("http://example.org/" + "a" * 5000, "longer than 2048 characters"),
    ],
)
def test_it_refuses_bad_urls(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused, match=reason):
        fetch(url, resolve=no_resolver)


def test_it_refuses_bad_urls_even_when_private_addresses_are_allowed() -> None:
    with pytest.raises(FetchRefused, match="user name or password"):
        fetch("http://user:pw@127.0.0.1/", allow_private=True, resolve=no_resolver)


# --- redirects ---------------------------------------------------------------


def test_it_refuses_a_redirect_to_the_metadata_service(server: Server) -> None:
    server.routes["/"] = redirect("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254 is not a public address"):
        fetch(server.url("/"), is_allowed=only_loopback, resolve=no_resolver)
    assert [path for path, _ in server.requests] == ["/"]


def test_it_refuses_a_redirect_to_a_host_with_an_internal_address_without_connecting(
    server: Server, listener: Listener
) -> None:
    # The second listener stands in for an internal service. Its host name resolves to
    # an allowed address AND a refused one: a fetcher checking only the first address,
    # or not checking redirects at all, would connect to it.
    server.routes["/"] = redirect(f"http://metadata.internal:{listener.port}/latest/meta-data/")
    with pytest.raises(FetchRefused, match=r"metadata\.internal resolves to 169\.254\.169\.254"):
        fetch(server.url("/"), is_allowed=only_loopback, resolve=fake_resolver("127.0.0.1", "169.254.169.254"))
    assert listener.stop() == 0
    assert len(server.requests) == 1


def test_it_refuses_a_redirect_to_an_address_the_policy_refuses_without_connecting(
    server: Server, listener: Listener
) -> None:
    # ::ffff:127.0.0.1 reaches the IPv4 listener on 127.0.0.1, but the policy is asked
    # about the address as it will be connected to, and allows only 127.0.0.1 itself.
    server.routes["/"] = redirect(f"http://[::ffff:127.0.0.1]:{listener.port}/")
    with pytest.raises(FetchRefused, match="not a public address"):
        fetch(server.url("/"), is_allowed=only_loopback)
    assert listener.stop() == 0


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("ftp://127.0.0.1/article", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:pw@127.0.0.1/", "user name or password"),
        ("http://10.0.0.1/", "not a public address"),
    ],
)
def test_it_checks_every_redirect_like_the_first_url(server: Server, location: str, reason: str) -> None:
    server.routes["/"] = redirect(location)
    with pytest.raises(FetchRefused, match=reason):
        fetch(server.url("/"), is_allowed=only_loopback, resolve=no_resolver)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_it_follows_a_redirect_to_an_allowed_address(server: Server, status: int) -> None:
    server.routes["/old"] = redirect("/new?id=7", status=status)
    server.routes["/new?id=7"] = page(b"<p>moved</p>")
    fetched = fetch(server.url("/old"), is_allowed=only_loopback)
    assert fetched.url == server.url("/old")
    assert fetched.final_url == server.url("/new?id=7")
    assert fetched.body == b"<p>moved</p>"


def test_it_follows_a_chain_of_redirects_up_to_the_limit(server: Server) -> None:
    server.routes["/1"] = redirect("/2", status=301)
    server.routes["/2"] = redirect(server.url("/3"), status=308)
    server.routes["/3"] = page()
    fetched = fetch(server.url("/1"), is_allowed=only_loopback, max_redirects=2)
    assert fetched.final_url == server.url("/3")


def test_it_refuses_too_many_redirects(server: Server) -> None:
    server.routes["/loop"] = redirect("/loop")
    with pytest.raises(FetchRefused, match="redirected more than 3 times"):
        fetch(server.url("/loop"), is_allowed=only_loopback, max_redirects=3)
    assert len(server.requests) == 4


def test_it_refuses_any_redirect_when_none_are_allowed(server: Server) -> None:
    server.routes["/old"] = redirect("/new")
    server.routes["/new"] = page()
    with pytest.raises(FetchRefused, match="redirected more than 0 times"):
        fetch(server.url("/old"), is_allowed=only_loopback, max_redirects=0)
    assert len(server.requests) == 1


def test_it_fails_on_a_redirect_without_location(server: Server) -> None:
    server.routes["/"] = raw(b"HTTP/1.0 302 Found\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(FetchFailed, match="without saying where to"):
        fetch(server.url("/"), is_allowed=only_loopback)


# --- fetching ----------------------------------------------------------------


def test_it_fetches_a_page(server: Server) -> None:
    server.routes["/article"] = page(b"<p>Harbour bridge reopens</p>")
    fetched = fetch(server.url("/article"), is_allowed=only_loopback)
    assert fetched == Fetched(
        url=server.url("/article"),
        final_url=server.url("/article"),
        content_type="text/html",
        charset="utf-8",
        body=b"<p>Harbour bridge reopens</p>",
    )
    _, headers = server.requests[0]
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept"] == ACCEPT
    assert headers["Host"] == f"127.0.0.1:{server.port}"


def test_it_connects_to_the_checked_address_and_sends_the_host_name(server: Server) -> None:
    # The host name is resolved once; a second answer (DNS rebinding) is never asked for.
    lookups: list[tuple[str, int]] = []
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append((host, port))
        return next(answers)

    server.routes["/article"] = page()
    fetched = fetch(f"http://news.example:{server.port}/article#top", is_allowed=only_loopback, resolve=rebinding)
    assert fetched.body == b"<p>Harbour bridge reopens</p>"
    assert lookups == [("news.example", server.port)]
    assert server.requests[0][1]["Host"] == f"news.example:{server.port}"


def test_it_sends_non_ascii_paths_percent_encoded(server: Server) -> None:
    server.routes["/caf%C3%A9?q=%C3%A9"] = page()
    fetch(server.url("/café?q=é"), is_allowed=only_loopback)
    assert server.requests[0][0] == "/caf%C3%A9?q=%C3%A9"


def test_it_follows_a_redirect_with_a_utf8_location(server: Server) -> None:
    server.routes["/old"] = raw("HTTP/1.0 302 Found\r\nLocation: /café\r\n\r\n".encode())
    server.routes["/caf%C3%A9"] = page()
    assert fetch(server.url("/old"), is_allowed=only_loopback).final_url == server.url("/café")


def test_it_fetches_loopback_when_private_addresses_are_allowed(server: Server) -> None:
    server.routes["/"] = page()
    assert fetch(server.url("/"), allow_private=True).body == b"<p>Harbour bridge reopens</p>"


@pytest.mark.parametrize(
    ("content_type", "expected_type", "expected_charset"),
    [
        ("text/html; charset=utf-8", "text/html", "utf-8"),
        ('TEXT/HTML;Charset="ISO-8859-1"', "text/html", "iso-8859-1"),
        ("application/xhtml+xml", "application/xhtml+xml", None),
        ("text/plain; charset=windows-1252", "text/plain", "windows-1252"),
        ("text/markdown", "text/markdown", None),
        (None, "", None),
    ],
)
def test_it_accepts_text_content_types(
    server: Server, content_type: str | None, expected_type: str, expected_charset: str | None
) -> None:
    server.routes["/"] = page(b"text", content_type=content_type)
    fetched = fetch(server.url("/"), is_allowed=only_loopback)
    assert (fetched.content_type, fetched.charset, fetched.body) == (expected_type, expected_charset, b"text")


@pytest.mark.parametrize(
    "content_type",
    ["application/octet-stream", "application/pdf", "image/png", "application/json", "text/htmlx", "html"],
)
def test_it_refuses_other_content_types(server: Server, content_type: str) -> None:
    server.routes["/"] = page(b"\x00\x01", content_type=content_type)
    with pytest.raises(FetchRefused, match=f"the page is {re.escape(content_type)}; only"):
        fetch(server.url("/"), is_allowed=only_loopback)


def test_it_accepts_a_body_of_exactly_the_cap(server: Server) -> None:
    server.routes["/"] = page(b"x" * MAX_BYTES)
    assert len(fetch(server.url("/"), is_allowed=only_loopback).body) == MAX_BYTES


def test_it_refuses_a_declared_length_over_the_cap_before_reading_the_body(server: Server) -> None:
    # The server never sends the body: reading it would wait out the whole time budget.
    server.routes["/"] = raw(
        f"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: {MAX_BYTES + 1}\r\n\r\n".encode(),
        then_stall=True,
    )
    started = time.monotonic()
    with pytest.raises(FetchRefused, match=f"the page is {MAX_BYTES + 1} bytes, more than the {MAX_BYTES} allowed"):
        fetch(server.url("/"), is_allowed=only_loopback)
    assert time.monotonic() - started < TIMEOUT / 2


def _chunked(body: bytes) -> bytes:
    chunks = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


@pytest.mark.parametrize(
    "route",
    [
        raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"x" * (MAX_BYTES + 1)),
        raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + _chunked(b"x" * (MAX_BYTES * 3))
        ),
        endless,
    ],
    ids=["close-delimited", "chunked", "endless"],
)
def test_it_refuses_an_undeclared_body_over_the_cap(server: Server, route: Route) -> None:
    server.routes["/"] = route
    with pytest.raises(FetchRefused, match=f"more than the {MAX_BYTES} bytes allowed"):
        fetch(server.url("/"), is_allowed=only_loopback)


def test_it_reads_a_chunked_body(server: Server) -> None:
    server.routes["/"] = raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + _chunked(b"y" * 2500)
    )
    assert fetch(server.url("/"), is_allowed=only_loopback).body == b"y" * 2500


def test_it_fails_on_a_compressed_body(server: Server) -> None:
    server.routes["/"] = raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b")
    with pytest.raises(FetchFailed, match="gzip-encoded body"):
        fetch(server.url("/"), is_allowed=only_loopback)


# --- failures ----------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_it_fails_on_an_error_status(server: Server, status: int) -> None:
    server.routes["/"] = lambda handler: handler.send_error(status)
    with pytest.raises(FetchFailed, match=f"the site answered {status}"):
        fetch(server.url("/"), is_allowed=only_loopback)


def test_it_fails_on_a_missing_page(server: Server) -> None:
    with pytest.raises(FetchFailed, match="the site answered 404 Not Found"):
        fetch(server.url("/nowhere"), is_allowed=only_loopback)


def test_it_fails_when_the_connection_is_refused() -> None:
    # Bound but not listening: the port is ours and refuses connections.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        with pytest.raises(FetchFailed, match=re.escape(f"127.0.0.1:{port} refused the connection")):
            fetch(f"http://127.0.0.1:{port}/", is_allowed=only_loopback)


def test_it_fails_within_the_budget_when_the_server_never_answers(listener: Listener) -> None:
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"did not answer in time \(1 s allowed\)"):
        fetch(f"http://127.0.0.1:{listener.port}/", is_allowed=only_loopback, timeout=1)
    assert 0.9 < time.monotonic() - started < 2.5
    assert listener.stop() == 1


def test_it_fails_within_the_budget_when_the_server_drips(server: Server) -> None:
    # One byte at a time, each well within a per-read timeout: only a total budget stops it.
    server.routes["/"] = raw(*[bytes([b]) for b in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"a" * 100], pause=0.2)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"did not answer in time \(1 s allowed\)"):
        fetch(server.url("/"), is_allowed=only_loopback, timeout=1)
    assert time.monotonic() - started < 2.5


def test_it_fails_within_the_budget_when_the_lookup_hangs() -> None:
    release = threading.Event()

    def hanging(host: str, port: int) -> list[str]:
        release.wait(10)
        return ["93.184.215.14"]

    started = time.monotonic()
    try:
        with pytest.raises(FetchFailed, match=r"looking up slow\.example took longer"):
            fetch("http://slow.example/", resolve=hanging, timeout=1)
    finally:
        release.set()
    assert time.monotonic() - started < 2.5


def test_it_fails_when_the_host_name_does_not_resolve() -> None:
    def unknown(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchFailed, match=r"nowhere\.example could not be found"):
        fetch("http://nowhere.example/", resolve=unknown)


def test_it_fails_when_the_host_name_has_no_address() -> None:
    with pytest.raises(FetchFailed, match="has no address"):
        fetch("http://empty.example/", resolve=fake_resolver())


def test_it_fails_when_the_server_hangs_up(server: Server) -> None:
    server.routes["/"] = raw()
    with pytest.raises(FetchFailed, match="did not send a valid HTTP response"):
        fetch(server.url("/"), is_allowed=only_loopback)


def test_it_fails_when_https_meets_a_plain_http_server(server: Server) -> None:
    server.routes["/"] = page()
    with pytest.raises(FetchFailed, match="TLS"):
        fetch(f"https://127.0.0.1:{server.port}/", is_allowed=only_loopback)


@pytest.mark.usefixtures("trusting_the_certificate")
def test_it_fetches_https_from_the_checked_address_checking_the_certificate_against_the_host_name(
    tls_server: Server,
) -> None:
    tls_server.routes["/article"] = page()
    fetched = fetch(
        f"https://news.example:{tls_server.port}/article", is_allowed=only_loopback, resolve=fake_resolver("127.0.0.1")
    )
    assert fetched.body == b"<p>Harbour bridge reopens</p>"
    assert fetched.final_url == f"https://news.example:{tls_server.port}/article"
    assert tls_server.requests[0][1]["Host"] == f"news.example:{tls_server.port}"


@pytest.mark.usefixtures("trusting_the_certificate")
def test_it_fails_https_when_the_certificate_is_not_for_the_host_name(tls_server: Server) -> None:
    # Same server and address, but the URL names the address: the certificate does not cover it.
    tls_server.routes["/article"] = page()
    with pytest.raises(FetchFailed, match=r"TLS certificate of .* is not valid"):
        fetch(f"https://127.0.0.1:{tls_server.port}/article", is_allowed=only_loopback)
    assert tls_server.requests == []


def test_it_fails_https_when_the_certificate_is_not_trusted(tls_server: Server) -> None:
    tls_server.routes["/article"] = page()
    with pytest.raises(FetchFailed, match=r"TLS certificate of .* is not valid"):
        fetch(
            f"https://news.example:{tls_server.port}/article",
            is_allowed=only_loopback,
            resolve=fake_resolver("127.0.0.1"),
        )
    assert tls_server.requests == []


# --- posting (webhooks): the same client, no redirects followed ----------------------


def post(url: str, **options: object) -> Posted:
    arguments: dict[str, object] = {
        "body": b'{"event":"verdict.published"}',
        "headers": {"Content-Type": "application/json", "X-Factcheck-Delivery": "7"},
        "timeout": TIMEOUT,
        "max_reply_bytes": 1000,
    }
    arguments.update(options)
    return post_url(url, **arguments)  # type: ignore[arg-type]


def test_it_posts_a_body_with_its_headers_and_returns_the_answer(server: Server) -> None:
    server.routes["/hook?token=abc"] = page(b"thanks", content_type="application/json")

    answer = post(server.url("/hook?token=abc"), is_allowed=only_loopback)

    assert answer == Posted(status=200, reason="OK", location="", reply=b"thanks")
    assert server.bodies == [b'{"event":"verdict.published"}']
    [(path, headers)] = server.requests
    assert path == "/hook?token=abc"
    assert headers["X-Factcheck-Delivery"] == "7"
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert headers["Connection"] == "close"


def test_it_returns_a_redirect_to_a_post_without_following_it(server: Server) -> None:
    server.routes["/hook"] = redirect("http://169.254.169.254/latest/meta-data/", status=307)

    answer = post(server.url("/hook"), is_allowed=only_loopback)

    assert (answer.status, answer.location) == (307, "http://169.254.169.254/latest/meta-data/")
    assert [path for path, _ in server.requests] == ["/hook"]


def test_it_reads_only_the_start_of_a_reply(server: Server) -> None:
    server.routes["/hook"] = endless

    answer = post(server.url("/hook"), is_allowed=only_loopback, max_reply_bytes=1000)

    assert (answer.status, answer.reply) == (200, b"x" * 1000)


def test_it_keeps_the_answer_of_a_receiver_that_stalls_in_its_reply(server: Server) -> None:
    server.routes["/hook"] = raw(b"HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\nqueued", then_stall=True)
    started = time.monotonic()

    answer = post(server.url("/hook"), is_allowed=only_loopback, timeout=1)

    assert (answer.status, answer.reply) == (202, b"")
    assert time.monotonic() - started < 2.5


def test_it_ends_a_post_within_the_budget_when_the_receiver_drips(server: Server) -> None:
    server.routes["/hook"] = raw(*[bytes([b]) for b in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"a" * 100], pause=0.2)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"did not answer in time \(1 s allowed\)"):
        post(server.url("/hook"), is_allowed=only_loopback, timeout=1)
    assert time.monotonic() - started < 2.5


def test_it_ends_a_post_within_the_budget_when_the_lookup_hangs() -> None:
    release = threading.Event()

    def hanging(host: str, port: int) -> list[str]:
        release.wait(10)
        return ["93.184.215.14"]

    started = time.monotonic()
    try:
        with pytest.raises(FetchFailed, match=r"looking up hooks\.example took longer"):
            post("http://hooks.example/hook", resolve=hanging, timeout=1)
    finally:
        release.set()
    assert time.monotonic() - started < 2.5


def test_it_refuses_to_post_to_an_internal_address_without_connecting(listener: Listener) -> None:
    with pytest.raises(FetchRefused, match="is not a public address"):
        post(f"http://127.0.0.1:{listener.port}/hook")
    with pytest.raises(FetchRefused, match=r"hooks\.example resolves to 10\.0\.0\.1"):
        post("http://hooks.example/hook", resolve=fake_resolver("93.184.215.14", "10.0.0.1"))
    assert listener.stop() == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://files.example/a", "only http and https"),
        ("http://127.0.0.1/a", "127.0.0.1 is not a public address"),
        ("http://[::ffff:169.254.169.254]/a", "is not a public address"),
        ("http://user:pw@news.example/a", "user name or password"),
        ("http:///a", "has no host"),
    ],
)
def test_it_checks_a_url_cheaply_before_it_is_queued(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused, match=re.escape(reason)):
        check_url(url)


def test_it_leaves_host_names_to_the_fetch_when_checking_a_url_cheaply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", no_resolver)
    check_url("https://news.example/article")
    check_url("http://127.0.0.1/a", allow_private=True)


# --- Feeds: conditional requests ----------------------------------------------------------------


def test_a_feed_is_fetched_conditionally_and_keeps_only_printable_validators(server: Server) -> None:
    def feed(handler: Handler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("ETag", '"v1"')
        handler.send_header("Last-Modified", "x" * 201)  # too long to send back
        handler.send_header("Content-Length", "6")
        handler.end_headers()
        handler.wfile.write(b"<rss/>")

    server.routes["/feed.xml"] = feed
    first = fetch_feed(
        server.url("/feed.xml"), max_bytes=MAX_BYTES, timeout=TIMEOUT, max_redirects=1, allow_private=True
    )
    assert (first.status, first.body, first.etag, first.last_modified) == (200, b"<rss/>", '"v1"', "")
    again = fetch_feed(
        server.url("/feed.xml"),
        etag=first.etag,
        max_bytes=MAX_BYTES,
        timeout=TIMEOUT,
        max_redirects=1,
        allow_private=True,
    )
    assert (again.status, again.body) == (NOT_MODIFIED, b"")
    assert server.requests[1][1]["If-None-Match"] == '"v1"'


def test_a_validator_with_a_line_break_is_never_sent_as_a_header(server: Server) -> None:
    with pytest.raises(ValueError, match="line break"):
        fetch_feed(
            server.url("/feed.xml"),
            etag='"v1"\r\nX-Injected: yes',
            max_bytes=MAX_BYTES,
            timeout=TIMEOUT,
            max_redirects=1,
            allow_private=True,
        )
    assert server.requests == []
