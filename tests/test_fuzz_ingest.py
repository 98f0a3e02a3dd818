"""Malformed input never crashes ingest: mutated PDFs, chat exports and source files either
parse or fail with a typed, one-line `LectoError`.

The default run tries a few dozen derandomized mutations per family so CI stays quick; the
`slow` variant explores hundreds more with fresh randomness (`pytest -m slow`). Whatever
ingesters are registered are exercised, so a new format is fuzzed as soon as it lands.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CHAT, PAPERS, ROOT
from lecto.data import Document
from lecto.errors import LectoError
from lecto.ingest.sources import ingest_file
from lecto.store import Store

FAMILIES = {
    # The smallest papers: structure, not size, is under test, and each parse costs ~0.3 s.
    "pdf": sorted(PAPERS.glob("*.pdf"), key=lambda p: p.stat().st_size)[:3],
    "chat": sorted(p for p in CHAT.rglob("*") if p.is_file() and not p.name.endswith(".qa.jsonl")),
    "source": [ROOT / "lecto" / "store" / "documents.py", ROOT / "ingest" / "chunking.py", ROOT / "README.md"],
}
# Read once: the source seeds are files of this repository, which change while a long run goes on.
SEED_BYTES = {p: p.read_bytes() for seeds in FAMILIES.values() for p in seeds}
# A parse of any seed takes under 2 s; one still running after this is a hang worth failing on.
HANG_S = 60


class Hang(Exception):
    pass


@st.composite
def mutated(draw: st.DrawFn, seeds: list[Path]) -> tuple[Path, bytes]:
    seed = draw(st.sampled_from(seeds))
    data = SEED_BYTES[seed]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "truncate", "insert", "repeat", "zero"]))
        if op == "flip":
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif op == "truncate":
            data = data[:at]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif op == "repeat":
            data = data[:at] + data[at : at + draw(st.integers(1, 4096))] * draw(st.integers(2, 50)) + data[at:]
        else:
            data = data[:at] + b"\x00" * draw(st.integers(1, 256)) + data[at + 256 :]
    return seed, data


def ingest_or_typed_error(seed: Path, data: bytes, work: Path) -> Document | LectoError:
    target = work / seed.name
    target.write_bytes(data)
    store = Store(work / "cache")

    def hang(signum: int, frame: object) -> None:
        raise Hang(f"{seed.name}: still parsing after {HANG_S} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_S)
    try:
        return ingest_file(target, target.name, store)
    except LectoError as e:
        return e
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        store.close()


def check(result: Document | LectoError) -> None:
    if isinstance(result, LectoError):
        assert "\n" not in str(result) and str(result).strip()
    else:
        assert result.chunks and all(c.text.strip() for c in result.chunks)


def fuzz(family: str, examples: int, derandomize: bool):  # type: ignore[no-untyped-def]
    @settings(
        max_examples=examples,
        derandomize=derandomize,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=mutated(FAMILIES[family]))
    def run(tmp_path: Path, case: tuple[Path, bytes]) -> None:
        check(ingest_or_typed_error(*case, tmp_path))

    return run


@pytest.mark.parametrize("family", FAMILIES)
def test_mutated_inputs_parse_or_fail_with_one_line(family: str, tmp_path: Path) -> None:
    fuzz(family, examples=25, derandomize=True)(tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_mutated_inputs_parse_or_fail_with_one_line_long(family: str, tmp_path: Path) -> None:
    fuzz(family, examples=500, derandomize=False)(tmp_path)


def _long_xref_number() -> bytes:
    """Found by the long run: a digit run in the xref header trips pypdf's LimitReachedError while opening."""
    data = (PAPERS / "unix-time-sharing-system.pdf").read_bytes()
    at = data.index(b"xref\r") + 5
    return data[:at] + b"3" * 46 + data[at:]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        _long_xref_number(),
    ],
)
def test_damaged_pdf_structure_is_a_typed_error(data: bytes, tmp_path: Path) -> None:
    result = ingest_or_typed_error(Path("x.pdf"), data, tmp_path)
    assert isinstance(result, LectoError)
    assert "\n" not in str(result)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # Found by the long run: a lone "\r" before the first newline made csv raise while sniffing.
        ("store.py", b'\r""The parsed-corpus cache.\n\nimport json\n'),
        (
            "chat.csv",
            b"timestamp,author,text\n2024-01-01T00:00:00,ann,hello\n" + b'2024-01-01T00:00:02,ann,"' + b"x" * 200_000,
        ),
        ("chat.csv", b'timestamp,author,text\n2024-01-01T00:00:00,ann,"unclosed\n\r\r\n'),
    ],
)
def test_text_and_csv_edge_cases_parse_or_fail_with_one_line(name: str, data: bytes, tmp_path: Path) -> None:
    check(ingest_or_typed_error(Path(name), data, tmp_path))
