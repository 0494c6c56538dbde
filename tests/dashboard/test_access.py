"""Access: open on the loopback without a login; with [auth] only logged-in users, and with a
[dashboard] allow-list only the addresses and domains on it (AppTest's user stands in for the
identity provider)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import allowed
from tests.dashboard.conftest import APP

AUTH = {"client_id": "cloudspend", "client_secret": "x", "cookie_secret": "y",
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}  # fmt: skip


def app(allow: list[str] | None, user: dict[str, object] | None, auth: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    if allow is not None:
        at.secrets["dashboard"] = {"allow": allow}
    if user is not None:
        at.user = user
    return at.run()


def test_allow_list_entries() -> None:
    assert allowed("Ada@Example.com", ["ada@example.com"])
    assert allowed("bob@example.com", ["@example.com"])
    assert allowed("bob@example.com", ["example.com"])
    assert not allowed("bob@example.com.evil.io", ["@example.com"])
    assert not allowed("mallory@evil.io", ["@example.com", "ada@example.com"])
    assert not allowed(None, ["@example.com"])
    assert not allowed("", [])


def test_no_login_configured_is_open(empty_db: Path) -> None:
    at = app(None, None, auth=False)
    assert at.title[0].value == "Overview"


def test_login_required(empty_db: Path) -> None:
    at = app(["@example.com"], {"is_logged_in": False})
    assert at.button(key="login").label == "Log in"
    assert [t.value for t in at.title] == ["cloudspend"]


def test_allowed_user_sees_the_dashboard(empty_db: Path) -> None:
    at = app(["@example.com"], {"is_logged_in": True, "email": "ada@example.com"})
    assert not at.exception
    assert at.title[0].value == "Overview"


@pytest.mark.parametrize("email", ["mallory@evil.io", "ada@example.com.evil.io"])
def test_user_not_on_the_list_is_refused(empty_db: Path, email: str) -> None:
    at = app(["@example.com"], {"is_logged_in": True, "email": email})
    assert "allow-list" in at.error[0].value
    assert at.button(key="logout").label == "Log out"
    assert [t.value for t in at.title] == ["cloudspend"]


def test_allow_list_without_login_lets_nobody_in(empty_db: Path) -> None:
    at = app(["@example.com"], None, auth=False)
    assert "nobody" in at.error[0].value
    assert not at.title


def test_the_config_allow_list_arrives_from_the_cli(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cloudspend dashboard` passes the config's [dashboard] allow in the environment."""
    monkeypatch.setenv("CLOUDSPEND_DASHBOARD_ALLOW", '["@example.com"]')
    at = app(None, {"is_logged_in": True, "email": "mallory@evil.io"})
    assert "allow-list" in at.error[0].value
    at = app(None, {"is_logged_in": True, "email": "ada@example.com"})
    assert at.title[0].value == "Overview"
    monkeypatch.setenv("CLOUDSPEND_DASHBOARD_ALLOW", "@example.com")  # not JSON: refuse all
    at = app(None, {"is_logged_in": True, "email": "ada@example.com"})
    assert "nobody" in at.error[0].value
