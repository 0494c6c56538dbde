"""Formula injection: text cells that a spreadsheet would run get an apostrophe."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from reports.csv_safe import neutralize, safe_frame


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("team-a", "team-a"),
        ("", ""),
        ("a=b", "a=b"),
        ("'=already", "'=already"),
    ],
)
def test_neutralize_text(value, expected):
    assert neutralize(value) == expected


@pytest.mark.parametrize("value", [-3.5, 0, 12, None, True, dt.date(2026, 1, 5)])
def test_neutralize_leaves_non_text(value):
    assert neutralize(value) is value


def test_safe_frame_keeps_types_and_neutralizes_text():
    df = pd.DataFrame(
        {
            "owner": ["=cmd|' /C calc'!A0", "team-a", None],
            "savings": [-1.5, 2.0, 3.0],
            "count": [1, -2, 3],
            "day": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"]),
        }
    )
    out = safe_frame(df)
    assert out["owner"].tolist()[:2] == ["'=cmd|' /C calc'!A0", "team-a"]
    assert pd.isna(out["owner"].iloc[2])
    assert out["savings"].tolist() == [-1.5, 2.0, 3.0]
    assert out["count"].dtype == df["count"].dtype
    assert out["day"].dtype == df["day"].dtype
    assert df["owner"].iloc[0].startswith("=")  # the input is not changed


def test_safe_frame_object_column_mixing_numbers_and_text():
    df = pd.DataFrame({"v": pd.Series([-1, "-1", "@x"], dtype=object)})
    assert safe_frame(df)["v"].tolist() == [-1, "'-1", "'@x"]


def test_safe_frame_csv_round_trip_is_inert(tmp_path):
    path = tmp_path / "out.csv"
    safe_frame(pd.DataFrame({"tag": ["=1+1", "+SUM(A1)"]})).to_csv(path, index=False)
    cells = pd.read_csv(path)["tag"].tolist()
    assert all(not str(c).startswith(("=", "+", "-", "@")) for c in cells)
