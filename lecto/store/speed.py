"""The backend speeds measured on this machine, one row per (model, backend, machine)."""

from __future__ import annotations

import sqlite3
from dataclasses import astuple, dataclass
from enum import StrEnum


class How(StrEnum):
    PROBE = "probe"  # a dedicated prompt timed before planning
    OBSERVED = "observed"  # an answer's own pre-fill, far from what was stored


@dataclass(frozen=True)
class Speed:
    prefill_tps: float
    decode_tps: float
    measured_at: float  # seconds since the epoch
    how: How = How.PROBE


def get(db: sqlite3.Connection, key: str) -> Speed | None:
    row = db.execute("SELECT prefill_tps, decode_tps, measured_at, how FROM speed WHERE key = ?", (key,)).fetchone()
    return None if row is None else Speed(row[0], row[1], row[2], How(row[3]))


def put(db: sqlite3.Connection, key: str, speed: Speed) -> None:
    db.execute("INSERT OR REPLACE INTO speed VALUES (?, ?, ?, ?, ?)", (key, *astuple(speed)))


def all_speeds(db: sqlite3.Connection) -> dict[str, Speed]:
    rows = db.execute("SELECT key, prefill_tps, decode_tps, measured_at, how FROM speed ORDER BY key")
    return {key: Speed(p, d, at, How(how)) for key, p, d, at, how in rows}


def clear(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM speed")
