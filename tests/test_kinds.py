"""Every kind is registered and stores its locations as the store reads them back."""

from __future__ import annotations

import json

import pytest

from lecto.data import Chunk, Kind, Location, Span
from lecto.kinds import Unit, kind_of
from lecto.kinds.chat import ChatLocation
from lecto.kinds.code import CodeLocation
from lecto.kinds.pdf import PageLocation
from lecto.kinds.text import TextLocation

MESSAGES = (Unit(0, 40, 28, "2023-05-08T13:58:00", "Caroline"), Unit(41, 70, 26, "2023-05-08T14:01:00", "Mel"))
CHAT = ChatLocation(("m1", "m2"), "2023-05-08T13:58:00", "2023-05-08T14:01:00", ("Caroline", "Mel"), MESSAGES)


@pytest.mark.parametrize(
    ("kind", "location"),
    [
        (Kind.PDF, PageLocation(3, "iii", ocr=True)),
        (Kind.TEXT, TextLocation(10, 14)),
        (Kind.CODE, CodeLocation("http/client.py", 40, 52, "HTTPResponse._read_status")),
        (Kind.CHAT, CHAT),
    ],
)
def test_a_location_reads_back_from_the_store_s_json_as_it_was_written(kind: Kind, location: Location) -> None:
    rules = kind_of(kind)
    assert isinstance(location, rules.location)
    assert rules.decode(json.loads(json.dumps(rules.encode(location)))) == location


@pytest.mark.parametrize(
    ("location", "described"),
    [
        (TextLocation(17, 17), "line 17"),
        (TextLocation(16, 17), "lines 16-17"),
        (CodeLocation("json/encoder.py", 40, 40), "json/encoder.py:40"),
        (CodeLocation("json/encoder.py", 40, 52, "JSONEncoder.encode"), "json/encoder.py:40-52 (JSONEncoder.encode)"),
    ],
)
def test_a_citation_names_one_line_as_one_line(location: Location, described: str) -> None:
    assert location.describe() == described


def test_every_kind_has_its_module() -> None:
    assert all(kind_of(k).location for k in Kind)


def _answer_units(text: str) -> list[str]:
    chunk = Chunk("t:0", "t", 0, text, Span("notes.txt", Kind.TEXT, TextLocation(1, 5)))
    return [text[u.start : u.end] for u in kind_of(Kind.TEXT).answer_units(chunk)]


def test_a_heading_is_quoted_with_the_sentence_it_heads() -> None:
    text = "2.5 Chunk Size\n\nChunk size is a key parameter. We have chosen 64 MB."
    assert _answer_units(text) == ["2.5 Chunk Size\n\nChunk size is a key parameter.", "We have chosen 64 MB."]


def test_a_line_of_control_characters_is_no_heading() -> None:
    text = "\x1b[31mRED\x1b[0m\n\nThe baker is called Ottilie."
    assert _answer_units(text) == ["\x1b[31mRED\x1b[0m", "The baker is called Ottilie."]


def test_a_heading_that_ends_the_text_heads_nothing_and_is_no_unit() -> None:
    # "…welcome to help.\n\n## Work days and rules" was quoted whole, the next section's title included.
    text = "The compost is turned monthly; everyone is welcome to help.\n\n## Work days and rules"
    assert _answer_units(text) == ["The compost is turned monthly; everyone is welcome to help."]


def test_a_markdown_heading_is_a_heading() -> None:
    text = "## Compost\n\nOnly raw scraps go in the compost bays."
    assert _answer_units(text) == [text]
