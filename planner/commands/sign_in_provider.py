"""``python -m planner sign-in-provider [--port P] [--secrets FILE] [--app-url URL]``: the local
OpenID provider for the dashboard's sign-in, when no real one is configured.

When ``[auth]`` of ``.streamlit/secrets.toml`` names a real provider (Google Workspace or any
OpenID Connect one), it says so and exits 0. Otherwise it writes an ``[auth]`` pointing at a
local provider (when there is none), starts ``oidc-provider-mock`` on 127.0.0.1 with the demo
users (subjects ``manager``, ``lead``, ``agent1``, ``agent2``) and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path

from planner.store.signin import (
    DEFAULT_APP_URL,
    DEFAULT_PORT,
    DEFAULT_SECRETS,
    DEMO_USERS,
    StartRefused,
    ensure_local_sign_in,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 9400)")
    parser.add_argument("--secrets", type=Path, default=DEFAULT_SECRETS, help="secrets.toml")
    parser.add_argument("--app-url", default=DEFAULT_APP_URL, help="the dashboard's URL")


def run(args: argparse.Namespace) -> int:
    # SIGTERM stops it like Ctrl-C, also while the provider is still starting.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        provider = ensure_local_sign_in(args.secrets, args.app_url, args.port)
    except StartRefused as error:
        print(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        return 1
    if provider is None:
        print(f"sign-in goes through the provider in {args.secrets}; no local provider needed")
        return 0
    print(f"local sign-in provider on {provider.metadata_url}; demo users:", flush=True)
    for user in DEMO_USERS:
        print(f"  type {user.sub!r} to sign in as {user.email} ({user.role})", flush=True)
    try:
        while provider.process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        provider.stop()
    return 0
