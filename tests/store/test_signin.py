"""Sign-in without an outside provider, and the start-up refusal beyond loopback.

The local provider is started for real (``oidc-provider-mock`` on 127.0.0.1) and the whole
OpenID Connect code flow is walked by hand, as ``st.login`` would: the demo manager's subject
comes back as a verified email that maps to the manager of the seeded demo team.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.store.access import AccessDenied, sign_in
from planner.store.db import Store
from planner.store.signin import (
    CLIENT_SECRET,
    StartRefused,
    check_dashboard_address,
    ensure_local_sign_in,
    is_loopback,
    provider_configured,
    read_auth,
)

GOOGLE = """\
[auth]
redirect_uri = "https://planner.example.com/oauth2callback"
cookie_secret = "x"
client_id = "id.apps.googleusercontent.com"
client_secret = "s"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.3.2.1", "localhost", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["0.0.0.0", "", None, "10.0.0.5", "planner.example.com"]))


def test_the_dashboard_refuses_to_listen_beyond_loopback_without_a_provider(
    tmp_path: Path,
) -> None:
    secrets = tmp_path / "secrets.toml"
    check_dashboard_address("127.0.0.1", secrets)  # no provider, loopback: fine
    check_dashboard_address("localhost", secrets)
    for address in ("0.0.0.0", "", None):
        with pytest.raises(StartRefused, match="no sign-in provider is configured"):
            check_dashboard_address(address, secrets)
    # the local demo provider does not count: it serves this machine only
    secrets.write_text(
        '[auth]\nserver_metadata_url = "http://127.0.0.1:9400/.well-known/openid-configuration"\n'
    )
    with pytest.raises(StartRefused, match=r"set server\.address to 127\.0\.0\.1"):
        check_dashboard_address("0.0.0.0", secrets)
    # a real provider (Google Workspace here): the dashboard may serve the network
    secrets.write_text(GOOGLE)
    check_dashboard_address("0.0.0.0", secrets)
    assert provider_configured(read_auth(secrets))


@pytest.mark.slow
def test_streamlit_run_server_beyond_loopback_without_a_provider_refuses_to_start(
    tmp_path: Path,
) -> None:
    """The same refusal when the dashboard is started by hand (``streamlit run server.py``),
    not through ``python -m planner dashboard``: it exits 2 and says why."""
    root = Path(__file__).resolve().parents[2]
    started = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", str(root / "server.py"),
         "--server.headless", "true", "--server.address", "0.0.0.0",
         "--server.port", str(_free_port()), "--browser.gatherUsageStats", "false"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert started.returncode == 2, started.stderr
    assert "beyond this machine, but no sign-in provider is configured" in started.stderr
    # a real provider in a secrets file given to Streamlit: it starts (and is stopped here)
    secrets = tmp_path / "elsewhere.toml"
    secrets.write_text(GOOGLE)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(root / "server.py"),
         "--server.headless", "true", "--server.address", "0.0.0.0",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--secrets.files", str(secrets)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "refused although a provider is configured"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(30)


def test_a_configured_provider_starts_no_local_one(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(GOOGLE)
    assert ensure_local_sign_in(secrets, port=_free_port()) is None
    assert secrets.read_text() == GOOGLE
    assert main(["sign-in-provider", "--secrets", str(secrets)]) == 0


def _no_redirect() -> urllib.request.OpenerDirector:
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(Keep)


def _sign_in_as(metadata_url: str, sub: str, redirect_uri: str) -> dict[str, Any]:
    """The OpenID code flow, by hand: authorize as ``sub``, swap the code for tokens, read the
    ID token's claims."""
    with urllib.request.urlopen(metadata_url, timeout=10) as response:
        metadata = json.load(response)
    query = urllib.parse.urlencode(
        {"response_type": "code", "client_id": "planner", "redirect_uri": redirect_uri,
         "scope": "openid email profile", "state": "s1", "nonce": "n1"}
    )  # fmt: skip
    form = urllib.parse.urlencode({"sub": sub}).encode()
    request = urllib.request.Request(f"{metadata['authorization_endpoint']}?{query}", data=form)
    try:
        _no_redirect().open(request, timeout=10)
        pytest.fail("the provider did not redirect back")
    except urllib.error.HTTPError as back:
        location = back.headers["Location"]
    assert location.startswith(redirect_uri)
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    token_form = urllib.parse.urlencode(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
         "client_id": "planner", "client_secret": CLIENT_SECRET}
    ).encode()  # fmt: skip
    with urllib.request.urlopen(metadata["token_endpoint"], data=token_form, timeout=10) as r:
        tokens = json.load(r)
    payload = tokens["id_token"].split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_the_local_provider_signs_in_the_demo_users(tmp_path: Path, sample_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["db", "--database", url, "init"]) == 0
    assert main(["db", "--database", url, "seed", str(sample_dir), "--demo-users"]) == 0
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[connections.other]\nkey = "kept"\n')
    port = _free_port()
    provider = ensure_local_sign_in(secrets, "http://localhost:8599", port)
    assert provider is not None
    try:
        written = tomllib.loads(secrets.read_text())
        assert written["connections"]["other"]["key"] == "kept"
        auth = written["auth"]
        assert auth["redirect_uri"] == "http://localhost:8599/oauth2callback"
        assert auth["server_metadata_url"] == provider.metadata_url
        assert provider.metadata_url.startswith(f"http://127.0.0.1:{port}/")
        assert len(auth["cookie_secret"]) >= 32
        assert secrets.stat().st_mode & 0o077 == 0  # secrets readable by the owner only

        store = Store(url)
        claims = _sign_in_as(provider.metadata_url, "manager", auth["redirect_uri"])
        assert (claims["email"], claims["email_verified"]) == ("manager@example.com", True)
        manager = sign_in(store, claims["email"], verified=claims["email_verified"])
        assert (manager.role, manager.team) == ("manager", "demo")
        agent = _sign_in_as(provider.metadata_url, "agent2", auth["redirect_uri"])
        assert sign_in(store, agent["email"], verified=agent["email_verified"]).agent_id == "A002"
        # anyone else can type a subject on the local page, but gets no access
        stranger = _sign_in_as(provider.metadata_url, "eve@else.example", auth["redirect_uri"])
        with pytest.raises(AccessDenied, match="is not a user of the planner"):
            sign_in(store, stranger["email"], verified=stranger.get("email_verified"))
        store.dispose()
    finally:
        provider.stop()
    assert provider.process.poll() is not None
    # the next start reuses the section it wrote (same port, same cookie secret)
    before = secrets.read_text()
    again = ensure_local_sign_in(secrets, "http://localhost:8599", _free_port())
    assert again is not None
    try:
        assert again.port == port
        assert secrets.read_text() == before
    finally:
        again.stop()


def _gone(pid: int) -> bool:
    """No such process, or only its zombie left."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


def test_the_local_provider_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    port = _free_port()
    code = (
        "import time\nfrom planner.store.signin import start_local_provider\n"
        f"p = start_local_provider({port})\nprint(p.process.pid, flush=True)\ntime.sleep(120)\n"
    )
    starter = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert starter.stdout is not None
        provider_pid = int(starter.stdout.readline())
        assert not _gone(provider_pid)
    finally:
        starter.kill()
        starter.wait(10)
    deadline = time.monotonic() + 10
    while not _gone(provider_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(provider_pid)
