"""The configuration file: strict TOML, secrets only by environment-variable reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudspend.config import Config, ConfigError, EnvSecret, Strict, load_config, secret_refs
from cloudspend.context import resolve


class _WithSecret(Strict):
    password: EnvSecret


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config, found = load_config(None)
    assert found is None
    assert config == Config()


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[warehouse\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(bad)


def test_wrong_types_are_explained(tmp_path: Path) -> None:
    bad = tmp_path / "types.toml"
    bad.write_text("[warehouse]\nthreads = 0\n")
    with pytest.raises(ConfigError, match=r"warehouse\.threads: Input should be greater than"):
        load_config(bad)


def test_a_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml")


def test_secrets_are_references_not_values(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="password"):
        _WithSecret.model_validate({"password": "hunter2"})
    ref = _WithSecret.model_validate({"password": {"env": "CS_TEST_SECRET"}})
    with pytest.raises(ConfigError, match="CS_TEST_SECRET is not set"):
        ref.password.resolve()
    monkeypatch.setenv("CS_TEST_SECRET", "s3cret")
    assert ref.password.resolve() == "s3cret"
    assert [name for name, _ in secret_refs(ref)] == ["password"]


def test_db_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nowhere"))
    config = tmp_path / "c.toml"
    config.write_text('[warehouse]\npath = "sub/w.duckdb"\n')
    assert resolve(tmp_path / "flag.duckdb", config).db_source == "--db / CLOUDSPEND_DB"
    from_config = resolve(None, config)
    assert from_config.db_path == tmp_path / "sub" / "w.duckdb"
    default = resolve(None, None)
    assert default.db_path == tmp_path / "data" / "cloudspend" / "cloudspend.duckdb"


def test_the_readme_configuration_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "cloudspend.toml"
    path.write_text(example, encoding="utf-8")
    config, _ = load_config(path)
    assert config.aws is not None
    assert config.aws.export is not None
    assert config.aws.export.months == 3
    assert config.gcp is not None
    assert config.gcp.billing_export is not None
    assert config.gcp.billing_export.months == 3


def test_collect_all_needs_a_cloud_in_the_config(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cloudspend.cli import app

    config = tmp_path / "cloudspend.toml"
    config.write_text("[warehouse]\nmemory_limit = '1GB'\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["collect", "all", "--config", str(config), "--db", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 1
    assert "no [aws], [azure] or [gcp] section; nothing to collect" in " ".join(
        result.output.split()
    )
