"""The HTTP side: a ThreadingHTTPServer per system, started from code or sources.yaml."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from sunshine.contracts import get_system
from sunshine.contracts.model import HttpApiTransport, System
from sunshine.errors import SunshineError
from sunshine.sources.api_server.faults import FaultPlan
from sunshine.sources.api_server.protocol import Api, ApiError, Response
from sunshine.sources.api_server.store import Store
from sunshine.sources.registry import SourceConfig, default_sources_file, load_sources

log = logging.getLogger("sunshine.sources.api_server")


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    api: Api


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the system's `Api` and logs one line for it."""

    server: _HttpServer
    server_version = "SunshineSimulatedAPI/1"
    sys_version = ""

    def _answer(self) -> None:
        began = time.perf_counter()
        api = self.server.api
        try:
            response = api.handle(self.command, self.path, self.headers)
        except Exception as exc:  # the store failed: say so, keep serving
            log.exception("%s %s %s failed", api.system.code, self.command, self.path)
            response = ApiError(500, f"the server failed: {exc}").response()
        try:
            self._write(response)
        except OSError as exc:  # the client went away
            response = Response(response.status, b"", rows=0, note=f"not sent: {exc}")
        log.info(
            "%s %s %s %d %d rows %.0f ms%s",
            api.system.code,
            self.command,
            self.path,
            response.status,
            response.rows,
            (time.perf_counter() - began) * 1000,
            f" ({response.note})" if response.note else "",
        )

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # `_answer` logs the request, with its rows

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s: %s", self.server.api.system.code, format % args)


class RunningServer:
    """One system's API listening in a background thread until `stop()`."""

    def __init__(
        self, api: Api, httpd: _HttpServer, thread: threading.Thread, base_path: str
    ) -> None:
        self.api = api
        self._httpd = httpd
        self._thread = thread
        self._base_path = base_path.rstrip("/")
        self._stopped = False

    @property
    def system(self) -> System:
        return self.api.system

    @property
    def store(self) -> Path:
        return self.api.store.path

    @property
    def faults(self) -> FaultPlan | None:
        return self.api.faults

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL: an endpoint is this plus its contract path."""
        return f"http://{self.host}:{self.port}{self._base_path}"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        log.info("%s: stopped serving %s", self.system.code, self.url)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RunningServer({self.system.code!r}, {self.url!r}, store={str(self.store)!r})"


def serve_system(
    system_code: str,
    store: Path,
    *,
    credential: str,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: FaultPlan | None = None,
    base_path: str = "",
) -> RunningServer:
    """Serve one API system's endpoints from its store; port 0 picks a free port."""
    system = get_system(system_code)
    api_store = Store(Path(store), system)
    api = Api(system, api_store, credential, faults, base_path)
    counts = api_store.check()
    try:
        httpd = _HttpServer((host, port), _Handler)
    except OSError as exc:
        raise SunshineError(
            f"{system_code}: cannot listen on {host}:{port} ({exc.strerror or exc}): "
            "stop what listens there or change its base_url in sources.yaml"
        ) from exc
    httpd.api = api
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.1},
        name=f"api-{system_code}",
        daemon=True,
    )
    thread.start()
    server = RunningServer(api, httpd, thread, base_path)
    log.info(
        "%s: serving %s at %s from %s",
        system_code,
        ", ".join(f"{name} ({n} records)" for name, n in counts.items()),
        server.url,
        api_store.path,
    )
    return server


def _credential(system: System, config: SourceConfig) -> str:
    """`token` for a bearer API, `api_key` for a key header (either is accepted)."""
    transport = system.transport
    assert isinstance(transport, HttpApiTransport)
    preferred = "token" if transport.auth_prefix.strip() else "api_key"
    other = "api_key" if preferred == "token" else "token"
    credential = config.get(preferred) or config.get(other)
    if not credential:
        raise SunshineError(
            f"sources.yaml: system '{system.code}' needs '{preferred}', the credential its "
            "API accepts (e.g. `"
            + preferred
            + ": ${"
            + system.code.upper()
            + "_API_"
            + ("TOKEN" if preferred == "token" else "KEY")
            + "}`)"
        )
    return str(credential)


def serve_sources(
    sources_file: Path | None = None,
    *,
    fault_rate: float = 0.0,
    fault_seed: int = 0,
    faults: Mapping[str, FaultPlan] | None = None,
) -> list[RunningServer]:
    """Serve every system of sources.yaml that has a `base_url` and a `store`.

    Each listens on its base_url's host and port. A relative `store` is relative to
    the folder of sources.yaml. Faults: `faults` gives a plan per system code;
    otherwise `fault_rate` > 0 makes that share of requests fail with the statuses
    the system's contract names (`FaultPlan.from_contract`).
    """
    path = Path(sources_file) if sources_file else default_sources_file()
    configs = load_sources(path)
    servers: list[RunningServer] = []
    try:
        for code, config in configs.items():
            base_url, store = config.get("base_url"), config.get("store")
            if not store:
                continue  # a real API elsewhere, or not an API at all
            if not base_url:
                raise SunshineError(
                    f"sources.yaml: system '{code}' has a store but no base_url to serve it at"
                )
            system = get_system(code)
            url = urlsplit(str(base_url))
            if url.scheme != "http" or not url.hostname:
                raise SunshineError(
                    f"sources.yaml: system '{code}': base_url {base_url!r} must be "
                    "http://host:port, e.g. http://127.0.0.1:8701"
                )
            store_path = Path(str(store)).expanduser()
            if not store_path.is_absolute():
                store_path = path.resolve().parent / store_path
            if faults is not None:
                plan = faults.get(code)
            elif fault_rate > 0:
                plan = FaultPlan.from_contract(system, fault_rate, fault_seed)
            else:
                plan = None
            servers.append(
                serve_system(
                    code,
                    store_path,
                    credential=_credential(system, config),
                    host=url.hostname,
                    port=url.port or 80,
                    faults=plan,
                    base_path=url.path,
                )
            )
    except BaseException:
        for server in servers:
            server.stop()
        raise
    if not servers:
        raise SunshineError(f"{path} names no API system to serve: give one a base_url and a store")
    return servers


def serve_until_interrupted(
    sources_file: Path | None = None,
    *,
    fault_rate: float = 0.0,
    fault_seed: int = 0,
    say: Callable[[str], None] = print,
) -> None:
    """`sunshine sources serve`: serve the API systems of sources.yaml until Ctrl-C.

    Ctrl-C, SIGTERM and SIGHUP stop it, even when started in the background with
    SIGINT ignored. Requests are logged at INFO (to stderr unless logging is set up).
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    servers = serve_sources(sources_file, fault_rate=fault_rate, fault_seed=fault_seed)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {
        s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        for server in servers:
            paths = ", ".join(server.api.routes)
            say(f"{server.system.code}: {server.url} ({paths}) from {server.store}")
            if server.faults is not None:
                say(f"  injected faults: {server.faults.rates}, seed {server.faults.seed}")
        say("Ctrl-C stops the servers.")
        while all(server.running for server in servers):
            time.sleep(0.2)
        raise SunshineError("an API server stopped by itself: see the log above")
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        say("API servers stopped")
