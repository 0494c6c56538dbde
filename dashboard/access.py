"""Who may see the dashboard. Bound to 127.0.0.1 it is open to whoever reaches the loopback
(the local user, an SSH tunnel, an authenticating reverse proxy). Shared, it uses Streamlit's
OIDC login (``st.login``, an ``[auth]`` section in ``.streamlit/secrets.toml``) and lets in only
the addresses and domains of the allow-list (``"ada@example.com"``, ``"@example.com"``): the
cloudspend config's ``[dashboard] allow``, which ``cloudspend dashboard`` hands over in
``CLOUDSPEND_DASHBOARD_ALLOW``, and any ``[dashboard] allow`` in secrets.toml. An allow-list
without a login is refused: nobody could be identified."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

ALLOW_ENV = "CLOUDSPEND_DASHBOARD_ALLOW"


def allowed(email: str | None, allow: list[str]) -> bool:
    """True when ``email`` is on ``allow``: the address itself or its ``@domain``."""
    if not email or "@" not in email:
        return False
    address = email.strip().lower()
    domain = "@" + address.rsplit("@", 1)[1]
    for entry in (e.strip().lower() for e in allow):
        if entry and (entry in (address, domain) or "@" + entry == domain):
            return True
    return False


def configured_allow() -> list[str]:
    """The config's allow-list, as ``cloudspend dashboard`` passes it (a JSON list)."""
    raw = os.environ.get(ALLOW_ENV, "").strip()
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        st.error(f"{ALLOW_ENV} is not a JSON list of addresses; nobody is let in.")
        st.stop()
    return list(value)


def _secrets() -> Mapping[str, Any]:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, StreamlitSecretNotFoundError):  # no secrets file at all
        return {}


def gate() -> str | None:
    """Stop the page unless the visitor may see it; the visitor's e-mail (None: no login)."""
    secrets = _secrets()
    allow = configured_allow() + list(secrets.get("dashboard", {}).get("allow", []))
    if "auth" not in secrets:
        if allow:
            st.error("An allow-list is configured but no login ([auth] in secrets.toml): "
                     "nobody can be identified, so nobody is let in.")  # fmt: skip
            st.stop()
        return None
    if not st.user.is_logged_in:
        st.title("cloudspend")
        st.button("Log in", on_click=st.login, key="login")
        st.stop()
    email = str(st.user.get("email") or "")
    if allow and not allowed(email, allow):
        st.title("cloudspend")
        st.error("This account is not on the dashboard's allow-list.")
        st.text(f"Signed in as {email}")
        st.button("Log out", on_click=st.logout, key="logout")
        st.stop()
    return email or None
