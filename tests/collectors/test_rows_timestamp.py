"""The shared SDK timestamp reader: fractions of any length, offsets after them."""

from __future__ import annotations

import datetime as dt

import pytest

from collectors.rows import timestamp

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2026-04-28T01:05:00.000-07:00", dt.datetime(2026, 4, 28, 8, 5, tzinfo=UTC)),
        ("2026-04-28T01:05:00.1234567+00:00", dt.datetime(2026, 4, 28, 1, 5, 0, 123456, UTC)),
        ("2026-04-28T01:05:00.5Z", dt.datetime(2026, 4, 28, 1, 5, 0, 500000, UTC)),
        ("2026-04-28T01:05:00", dt.datetime(2026, 4, 28, 1, 5, tzinfo=UTC)),
    ],
)
def test_fractions_and_offsets(text: str, want: dt.datetime) -> None:
    assert timestamp(text) == want
