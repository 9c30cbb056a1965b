"""Sign-in without an outside provider, and the start-up check of the dashboard's address.

Sign-in is OpenID Connect through Streamlit's ``st.login``, configured by ``[auth]`` in
``.streamlit/secrets.toml``. A team on Google Workspace points ``[auth]`` at Google (README).
Where no ``[auth]`` is configured, :func:`ensure_local_sign_in` writes one that points at a
local OpenID provider (``oidc-provider-mock``) on 127.0.0.1 and starts that provider, with the
demo users (a manager, a lead, two agents) who sign in by typing their subject
(``manager``, ``lead``, ``agent1``, ``agent2``) on the provider's page.

An ``[auth]`` whose ``server_metadata_url`` is on loopback *is* the local provider: it serves
nobody beyond this machine. So :func:`check_dashboard_address` refuses a dashboard listening
beyond loopback unless a real provider is configured, and says why.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

LOCAL_HOST = "127.0.0.1"
DEFAULT_PORT = 9400
DEFAULT_SECRETS = Path(".streamlit/secrets.toml")
DEFAULT_APP_URL = "http://localhost:8501"
CLIENT_ID = "planner"
CLIENT_SECRET = "planner-local-provider"


@dataclass(frozen=True)
class DemoUser:
    """A demo user: the subject typed on the local provider's page, the email it sends, and the
    planner user that email maps to (``agent`` is the index of the agent in ``agents.csv``)."""

    sub: str
    email: str
    name: str
    role: str
    agent: int | None = None


DEMO_USERS = (
    DemoUser("manager", "manager@example.com", "Morgan Manager", "manager"),
    DemoUser("lead", "lead@example.com", "Lee Lead", "lead"),
    DemoUser("agent1", "agent1@example.com", "First Agent", "agent", 0),
    DemoUser("agent2", "agent2@example.com", "Second Agent", "agent", 1),
)


class StartRefused(Exception):
    """The dashboard must not start as configured; the message says why and what to do."""


def is_loopback(host: str | None) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1 (an empty address listens everywhere: not loopback)."""
    if not host:
        return False
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_auth(secrets_path: Path = DEFAULT_SECRETS) -> dict[str, Any] | None:
    """The ``[auth]`` table of the secrets file (``None``: no file or no table)."""
    if not secrets_path.is_file():
        return None
    try:
        data = tomllib.loads(secrets_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise StartRefused(f"{secrets_path}: cannot read it: {error}") from error
    auth = data.get("auth")
    return auth if isinstance(auth, dict) else None


def _metadata_urls(auth: dict[str, Any]) -> list[str]:
    """Every ``server_metadata_url`` of ``[auth]`` and its named providers (``[auth.google]``)."""
    urls = [auth["server_metadata_url"]] if isinstance(auth.get("server_metadata_url"), str) else []
    for value in auth.values():
        if isinstance(value, dict) and isinstance(value.get("server_metadata_url"), str):
            urls.append(value["server_metadata_url"])
    return urls


def provider_configured(auth: dict[str, Any] | None) -> bool:
    """Whether ``[auth]`` names a real provider: one whose metadata is not on loopback."""
    if not auth:
        return False
    urls = _metadata_urls(auth)
    return bool(urls) and not all(is_loopback(urlparse(u).hostname) for u in urls)


def local_port(auth: dict[str, Any] | None) -> int | None:
    """The port of the local provider ``[auth]`` points at (``None``: it points elsewhere)."""
    if not auth or provider_configured(auth):
        return None
    for url in _metadata_urls(auth):
        parsed = urlparse(url)
        if is_loopback(parsed.hostname):
            return parsed.port or 80
    return None


def check_dashboard_address(
    address: str | None, secrets_path: Path | Sequence[Path] = DEFAULT_SECRETS
) -> None:
    """Refuse (:class:`StartRefused`) a dashboard listening beyond loopback without a real
    sign-in provider: the local one serves this machine only. Call it at start-up. With
    several secrets files (Streamlit's ``secrets.files``), a provider in any of them counts."""
    if is_loopback(address):
        return
    files = [secrets_path] if isinstance(secrets_path, Path) else list(secrets_path)
    if any(provider_configured(read_auth(f)) for f in files):
        return
    secrets_path = files[-1] if files else DEFAULT_SECRETS
    where = f"address {address!r}" if address else "every address (server.address is unset)"
    raise StartRefused(
        f"The dashboard would listen on {where}, beyond this machine, but no sign-in provider "
        f"is configured in {secrets_path} (only the local demo provider, which serves this "
        "machine alone). Either set server.address to 127.0.0.1, or point [auth] at your "
        "OpenID Connect provider (e.g. Google Workspace: see the README)."
    )


def local_auth_toml(port: int, app_url: str) -> str:
    """The ``[auth]`` section for the local provider."""
    return (
        "\n# Written by the planner: sign-in through the local demo provider on this machine.\n"
        "# Replace this section to sign in through your own provider (see the README).\n"
        "[auth]\n"
        f'redirect_uri = "{app_url.rstrip("/")}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "http://{LOCAL_HOST}:{port}/.well-known/openid-configuration"\n'
    )


def demo_claims() -> list[dict[str, Any]]:
    """The demo users as the provider's ``--user-claims`` (verified emails)."""
    return [
        {"sub": u.sub, "email": u.email, "email_verified": True, "name": u.name} for u in DEMO_USERS
    ]


@dataclass
class LocalProvider:
    """A running local provider (stop it with :meth:`stop`)."""

    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes] | None = None

    @property
    def metadata_url(self) -> str:
        return f"http://{LOCAL_HOST}:{self.port}/.well-known/openid-configuration"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.log is not None:
            self.log.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_local_provider(port: int = DEFAULT_PORT, wait_seconds: float = 30.0) -> LocalProvider:
    """Start ``oidc-provider-mock`` on 127.0.0.1:``port`` with the demo users; returns once it
    answers (:class:`StartRefused` when it does not)."""
    command = [sys.executable, "-m", "planner.store.signin", str(os.getpid())]
    command += ["--host", LOCAL_HOST, "--port", str(port)]
    for claims in demo_claims():
        command += ["--user-claims", json.dumps(claims)]
    root = str(Path(__file__).resolve().parents[2])  # the folder holding planner/
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    # Its log goes to a file: a pipe nobody reads would fill up and stop the provider.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the provider
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL, env=env
    )
    provider = LocalProvider(process, port, log)
    try:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                error = log.read().decode(errors="replace")
                raise StartRefused(
                    f"the local sign-in provider did not start: {error.strip()[-500:]}"
                )
            if _answers(provider.metadata_url):
                return provider
            time.sleep(0.2)
        raise StartRefused(f"the local sign-in provider did not answer on port {port}")
    except BaseException:
        provider.stop()  # interrupted or failed: leave no provider behind
        raise


def ensure_local_sign_in(
    secrets_path: Path = DEFAULT_SECRETS,
    app_url: str = DEFAULT_APP_URL,
    port: int = DEFAULT_PORT,
) -> LocalProvider | None:
    """With a real provider in ``[auth]``: nothing to do (``None``). Otherwise write the local
    ``[auth]`` when there is none (keeping the rest of the file) and start the local provider
    on the port it names."""
    auth = read_auth(secrets_path)
    if provider_configured(auth):
        return None
    if auth is None:
        secrets_path.parent.mkdir(parents=True, exist_ok=True)
        before = secrets_path.read_text(encoding="utf-8") if secrets_path.is_file() else ""
        secrets_path.write_text(before + local_auth_toml(port, app_url), encoding="utf-8")
        secrets_path.chmod(0o600)
    else:
        named = local_port(auth)
        if named is None:
            raise StartRefused(
                f"[auth] in {secrets_path} names no server_metadata_url: point it at your "
                "OpenID Connect provider (see the README), or remove it to use the local one"
            )
        port = named
    return start_local_provider(port)


def serve(argv: list[str]) -> None:
    """``python -m planner.store.signin PARENT --host H --port P --user-claims ...``: the local
    provider's process; it stops when the process that started it dies (Linux), so a killed
    dashboard or command never leaves it serving."""
    from oidc_provider_mock.__main__ import run  # noqa: PLC0415 - only in this process

    from planner.store.executor import die_with_parent  # noqa: PLC0415

    die_with_parent(int(argv[0]))
    run.main(args=argv[1:], prog_name="oidc-provider-mock")


if __name__ == "__main__":
    serve(sys.argv[1:])
