"""reports.queries.filters: each filter restricts bill rows and findings as documented, and
values only ever travel as parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from reports.queries.filters import Filters, normal_key
from tests.analysis.world import World
from warehouse.db import Warehouse

FINDING = """
INSERT INTO findings (finding_id, run_id, family, "check", provider, account_id, region,
    resource_id, action, savings_gross, confidence, first_seen, last_seen, status)
VALUES (?, 'run', ?, 'c', ?, ?, 'us-east-1', ?, 'act', ?, ?, now(), now(), ?)
"""


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    warehouse = Warehouse(Path(tmp_path_factory.mktemp("filters")) / "f.duckdb")
    world = World(warehouse)
    world.resource("i-a", "vm", tags={"OWNER": "Team-Data", "Cost-Center": "42"})
    world.resource("i-b", "vm", tags={"owner": "team-web"})
    world.billed("i-a", 10, 12, days=30, tags={"cost_center": "42"})
    world.billed("i-b", 5, 5, days=10, account="222222222222", service="Storage")
    world.billed("gcp-x", 1, 1, days=30, provider="gcp", tags={"o w-n_er": "team-data"})
    world.billed(None, 2, 2, days=30, category="Tax")
    with warehouse.write() as w:
        for sql, params in world.statements:
            w.execute(sql, params)
        for row in (
            ("f1", "idle", "aws", "111111111111", "i-a", 100, 0.9, "open"),
            ("f2", "rightsizing", "aws", "222222222222", "i-b", 20, 0.5, "open"),
            ("f3", "spot", "gcp", "p", "gcp-x", 5, 0.7, "cannot_judge"),
            ("f4", "commitment", "aws", "111111111111", None, 300, 0.8, "open"),
        ):
            w.execute(FINDING, list(row))
    with warehouse.read() as r:
        yield r


def spend(con: duckdb.DuckDBPyConnection, f: Filters) -> Decimal:
    where, params = f.focus_where("c", con)
    sql = f"SELECT coalesce(sum(EffectiveCost), 0) FROM focus_costs c WHERE {where}"
    return Decimal(con.execute(sql, params).fetchall()[0][0])


def found(con: duckdb.DuckDBPyConnection, f: Filters) -> set[str]:
    where, params = f.findings_where("x", con)
    rows = con.execute(f"SELECT finding_id FROM findings x WHERE {where}", params).fetchall()
    return {r[0] for r in rows}


def test_no_filter_is_everything(con):
    assert Filters().focus_where() == ("TRUE", {})
    assert Filters().is_default()
    assert spend(con, Filters()) == 300 + 50 + 30 + 60
    assert found(con, Filters()) == {"f1", "f2", "f3", "f4"}


def test_dimensions_restrict_spend(con):
    assert spend(con, Filters(providers=("gcp",))) == 30
    assert spend(con, Filters(accounts=("222222222222",))) == 50
    assert spend(con, Filters(services=("Storage",))) == 50
    assert spend(con, Filters(providers=("aws",), services=("Compute",))) == 300 + 60
    assert spend(con, Filters(currency="USD")) == spend(con, Filters())
    assert spend(con, Filters(currency="EUR")) == 0


def test_dates_are_whole_days_both_ends_included(con):
    last = dt.date(2026, 10, 31)
    assert spend(con, Filters(start=last, end=last)) == 10 + 5 + 1 + 2
    assert spend(con, Filters(start=dt.date(2026, 10, 30))) == 2 * (10 + 5 + 1 + 2)
    # 30 days of rows end on 31 October: the first is on 2 October
    assert spend(con, Filters(end=dt.date(2026, 10, 21))) == 20 * (10 + 1 + 2)


def test_owner_matches_key_loosely_and_value_ignoring_case(con):
    # i-a by its inventory tag OWNER, gcp-x by its bill label "o w-n_er"
    assert spend(con, Filters(owner="team-data")) == 300 + 30
    assert spend(con, Filters(owner="TEAM-WEB")) == 50
    assert spend(con, Filters(owner="nobody")) == 0
    assert found(con, Filters(owner="team-data")) == {"f1", "f3"}


def test_tag_key_with_and_without_value(con):
    assert spend(con, Filters(tag_key="costcenter")) == 300
    assert spend(con, Filters(tag_key="COST_CENTER", tag_value="42")) == 300
    assert spend(con, Filters(tag_key="cost-center", tag_value="43")) == 0
    assert found(con, Filters(tag_key="Owner")) == {"f1", "f2", "f3"}


def test_finding_only_filters(con):
    assert found(con, Filters(families=("idle", "spot"))) == {"f1", "f3"}
    assert found(con, Filters(statuses=("open",))) == {"f1", "f2", "f4"}
    assert found(con, Filters(min_confidence=0.75)) == {"f1", "f4"}
    assert found(con, Filters(min_savings=20, max_savings=100.0)) == {"f1", "f2"}
    assert found(con, Filters(services=("Storage",))) == {"f2"}
    assert found(con, Filters(providers=("aws",), accounts=("111111111111",))) == {"f1", "f4"}


def test_resources_take_the_dimension_and_tag_filters(con):
    def stock(f: Filters) -> set[str]:
        where, params = f.resources_where("r", con)
        rows = con.execute(f"SELECT resource_id FROM resources r WHERE {where}", params)
        return {r[0] for r in rows.fetchall()}

    assert stock(Filters()) == {"i-a", "i-b"}
    assert stock(Filters(owner="team-web")) == {"i-b"}
    assert stock(Filters(services=("Compute",), families=("idle",))) == {"i-a"}


def test_values_are_parameters_never_sql(con):
    evil = "x' OR 1=1 --"
    f = Filters(providers=(evil,), owner=evil, tag_key=evil, tag_value=evil, services=(evil,))
    for where, params in (f.focus_where("c", con), f.findings_where("x", con)):
        assert evil not in where
        assert "OR 1=1" not in where
        assert evil in {str(v) for v in params.values()} | {
            str(x) for v in params.values() if isinstance(v, list) for x in v
        }
    assert spend(con, f) == 0
    assert found(con, f) == set()


def test_alias_must_be_an_identifier():
    with pytest.raises(ValueError, match="alias"):
        Filters().focus_where("c; DROP TABLE x")


def test_describe_and_normal_key():
    assert Filters().describe() == ""
    assert Filters(providers=("aws", "gcp"), owner="ada").describe() == (
        "providers: aws, gcp; owner: ada"
    )
    assert normal_key("Cost-Center _x") == "costcenterx"


def test_tag_keys_are_read_at_their_spellings_in_the_data(con):
    from reports.queries.tagkeys import spellings

    assert spellings(con, "Owner") == ["OWNER", "o w-n_er", "owner"]
    assert spellings(con, "cost center") == ["Cost-Center", "cost_center"]
    assert spellings(con, "nothing") == []
    assert spend(con, Filters(tag_key="nothing")) == 0


def test_a_tag_filter_needs_the_connection():
    with pytest.raises(ValueError, match="connection"):
        Filters(owner="team-data").focus_where("c")
