"""A page's content stream read by compiled regular expressions, operation for operation what pypdf reads.

pypdf tokenizes a content stream a byte at a time in Python: on the shared filings that is
two thirds or more of its text extraction (a 10-K page sets each glyph or word with its own
operator, several thousand a page). Here one regular expression reads the tokens nearly all of
a page is made of (numbers, names, strings, hex strings, arrays of them, operators) into the
very objects pypdf builds from them; anything else (a dictionary, an escape, a comment) is read
by pypdf's own `read_object` at that spot, and a stream with an inline image, an operator
pypdf would refuse or more bytes than pypdf's parsing budget is read by pypdf whole, so the
operations, and the text extracted from them, are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from io import BytesIO
from typing import Any

from pypdf._configuration import get_configuration
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    FloatObject,
    NameObject,
    NumberObject,
    create_string_object,
    read_object,
)
from pypdf.generic._utils import StreamParsingBudget

# pypdf's whitespace between operations (its WHITESPACES), and inside arrays (those or isspace()).
_WS = rb"[\x00\t\n\f\r ]*"
_ARRAY_WS = rb"[\x00\t\n\x0b\f\r ]*"
# pypdf reads a number as the run of these characters (its NumberPattern's class) in a 20-byte
# peek: a run of at most 19 with its next byte inside the peek is read the same here. A run that
# is a plain integer or decimal is built as pypdf's constructor builds it; any other run
# ("1-2", "1,5") goes through that constructor, which warns and reads 0.
_RUN = rb"(?=[+-.0-9]{1,19}[^+-.0-9])"
_INT_BODY = rb"[+-]?\d+(?=[^+-.0-9])"
_DECIMAL_BODY = rb"[+-]?(?:\d+\.\d*|\.\d+)(?=[^+-.0-9])"
_NUMBERS = _RUN + rb"(?:(?P<int>" + _INT_BODY + rb")|(?P<float>" + _DECIMAL_BODY + rb")|(?P<odd>[+\-.0-9][+-.0-9]*))"
# A name or operator ends at NameObject.delimiter_pattern; a name with `#` escapes or bytes
# outside printable ASCII is left to pypdf (it decodes them).
_ENDS = rb"(?=[\s()<>\[\]{}/%]|\Z)"
_NAME_BODY = rb"/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]*" + _ENDS
_HEX_BODY = rb"<(?!<)[0-9A-Fa-f\x00\t\n\f\r ]*>"
# A string without nested parentheses, its escapes those pypdf reads one way only: a character
# of its escape table, or an octal code of at most 255 (no longer run of octal digits follows).
_ESCAPES = rb"nrtbf()/\\ %<>\[\]#_&$"
_STRING_BODY = rb"\((?:[^()\\]|\\(?:[" + _ESCAPES + rb"]|[0-7]{1,2}(?![0-7])|[0-3][0-7]{2}))*\)"
_ESCAPE = re.compile(rb"\\([" + _ESCAPES + rb"]|[0-7]{1,3})")
_ESCAPED = {c: bytes([v]) for c, v in zip(b"nrtbf", b"\n\r\t\b\f", strict=True)}
# Well under the 128 bytes at which pypdf's reading of an operator gives up (in 16-byte reads).
_OPERATOR_BODY = rb"[A-Za-z'\"][^\s()<>\[\]{}/%]{0,95}" + _ENDS
_NAME, _HEX = rb"(?P<name>" + _NAME_BODY + rb")", rb"(?P<hex>" + _HEX_BODY + rb")"
_STRING, _OPERATOR = rb"(?P<string>" + _STRING_BODY + rb")", rb"(?P<operator>" + _OPERATOR_BODY + rb")"
_TOKEN = re.compile(_WS + rb"(?:" + rb"|".join([_NUMBERS, _NAME, _HEX, _STRING, _OPERATOR, rb"(?P<array>\[)"]) + rb")")
_ELEMENT = re.compile(_ARRAY_WS + rb"(?:" + rb"|".join([_NUMBERS, _NAME, _HEX, _STRING, rb"(?P<end>\])"]) + rb")")
_SPACE = re.compile(_WS)
_HEX_SPACE = b"\x00\t\n\f\r "
_INT, _FLOAT, _ODD, _NAME_AT, _HEX_AT, _STRING_AT, _OPERATOR_AT, _ARRAY_AT = range(1, 9)
_END_AT = _OPERATOR_AT  # in _ELEMENT the closing bracket takes the operator's place


# What pypdf's plain text extraction reads: its TextExtraction's handlers and the operators its
# _extract_text splits into them. Every other operation leaves the text as it is.
TEXT_OPERATORS = frozenset(
    [b"BT", b"ET", b"q", b"Q", b"cm", b"Tz", b"Tc", b"Tw", b"TL", b"Tf", b"Td", b"TD", b"Tm", b"T*", b"Tj", b"TJ"]
    + [b"'", b'"', b"Do"]
)


class _Whole(Exception):
    """The stream holds what only pypdf's own parser reads in order (an inline image, an over-long operator)."""


class FastContentStream(ContentStream):
    """pypdf's ContentStream, its operations read by `operations` below."""

    def _parse_content_stream(self, stream: Any) -> None:
        data = stream.getvalue()
        # Past its budget pypdf stops with an error of its own; under it no count can run out (a token
        # takes a byte at least), so none is kept here.
        if len(data) >= get_configuration().stream_parsing_work_maximum_count:
            super()._parse_content_stream(stream)
            return
        try:
            self._operations = operations(data, self.forced_encoding)
        except _Whole:
            super()._parse_content_stream(stream)


def operations(data: bytes, encoding: Any) -> list[tuple[Any, bytes]]:
    """The (operands, operator) pairs of a content stream, as pypdf's ContentStream gives them."""
    out: list[tuple[Any, bytes]] = []
    operands: list[Any] = []
    pos, end, match = 0, len(data), _TOKEN.match
    while True:
        found = match(data, pos)
        if found is None:
            pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
            if pos == end:
                return out
            pos = _odd(data, pos, operands, encoding)
            continue
        pos, at = found.end(), found.lastindex
        token = found.group(at)  # type: ignore[arg-type]
        if at == _OPERATOR_AT:
            _check_operator(token)
            out.append((operands, token))
            operands = []
        elif at == _ARRAY_AT:
            element, pos = _array(data, found.start(at), encoding)  # type: ignore[arg-type]
            operands.append(element)
        else:
            operands.append(_simple(at, token, encoding))  # type: ignore[arg-type]


def _check_operator(token: bytes) -> None:
    """Raise _Whole where pypdf reads the stream otherwise than by tokens.

    An inline image (BI) is binary data; and where two integers stand before an `R` not followed by
    a letter, pypdf reads an indirect reference (its IndirectPattern), which a content stream
    cannot hold: pypdf fails the page on it, and the whole stream is left to it to do so.
    """
    if token == b"BI" or token[:1] == b"R" and not token[1:2].isalpha():
        raise _Whole


def _odd(data: bytes, pos: int, operands: list[Any], encoding: Any) -> int:
    """Read what the expression leaves at `pos` as pypdf does; where the next token starts."""
    first = data[pos : pos + 1]
    if first == b"%":  # a comment runs to the line's end, which pypdf reads with it
        stop = min((i for i in (data.find(b"\r", pos), data.find(b"\n", pos)) if i >= 0), default=len(data) - 1)
        return stop + 1
    if first.isalpha() or first in (b"'", b'"'):
        raise _Whole
    return _object(data, pos, operands, encoding)


def _object(data: bytes, pos: int, operands: list[Any], encoding: Any) -> int:
    stream = BytesIO(data)
    stream.seek(pos)
    budget = StreamParsingBudget(remaining_budget=get_configuration().stream_parsing_work_maximum_count)
    operands.append(read_object(stream, None, encoding, parsing_budget=budget))
    return stream.tell()


def _array(data: bytes, start: int, encoding: Any) -> tuple[Any, int]:
    """The array opening at `start` and where it ends; one holding more than simple tokens is pypdf's to read."""
    elements: list[Any] = []
    pos, match = start + 1, _ELEMENT.match
    most = get_configuration().array_maximum_element_count
    while (found := match(data, pos)) is not None and len(elements) < most:
        pos, at = found.end(), found.lastindex
        if at == _END_AT:
            return ArrayObject(elements), pos
        elements.append(_simple(at, found.group(at), encoding))  # type: ignore[arg-type]
    read: list[Any] = []
    pos = _object(data, start, read, encoding)
    return read[0], pos


def _simple(at: int, token: bytes, encoding: Any) -> Any:
    """The object pypdf builds for this token (bypassing constructors only where they cannot differ)."""
    if at == _INT:
        return int.__new__(NumberObject, int(token))
    if at == _FLOAT:
        return float.__new__(FloatObject, float(token))
    if at == _ODD:
        return FloatObject(token) if b"." in token else NumberObject(token)
    if at == _NAME_AT:
        return NameObject(token.decode())
    if at == _HEX_AT:
        digits = token[1:-1].translate(None, _HEX_SPACE)
        token = b"(" + bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()) + b")"
    elif b"\\" in token:
        token = _ESCAPE.sub(_unescape, token)
    return ByteStringObject(token[1:-1]) if encoding == "bytes" else create_string_object(token[1:-1], encoding)


def _unescape(escape: re.Match[bytes]) -> bytes:
    code = escape.group(1)
    if code[0] in b"01234567":
        return bytes([int(code, 8)])
    return _ESCAPED.get(code[0], code)


def text_operations(content: ContentStream, data: bytes) -> list[tuple[Any, bytes]]:
    """The operations of `content` (its bytes `data`) that text extraction reads, as pypdf reads them.

    Most of a filing's content stream draws (paths, colours, clips). One regular expression
    matches a run of such operations and the text operation after it, so only text operations
    reach Python; their operands are read as `operations` reads them. Where the expression
    meets anything else (a comment, an escape in a name, an odd number, a nested dictionary, an
    inline image) the stream is read whole, as before. Equal operand lists may be one list: read
    them, never change them.
    """
    config = get_configuration()
    if len(data) < config.stream_parsing_work_maximum_count:
        pattern = _text_pattern(config.array_maximum_element_count, config.dictionary_maximum_element_count)
        try:
            return _text_operations(data, content.forced_encoding, pattern)
        except _Whole:
            pass
    return [operation for operation in content.operations if operation[1] in TEXT_OPERATORS]


def _text_operations(data: bytes, encoding: Any, pattern: re.Pattern[bytes]) -> list[tuple[Any, bytes]]:
    out: list[tuple[Any, bytes]] = []
    read: dict[bytes, list[Any]] = {}  # a glyph's operands recur all over a page
    for operands, operator, odd in pattern.findall(data):
        if odd:
            raise _Whole
        if operator:  # else the end of the stream
            if (objects := read.get(operands)) is None:
                # The space stands for the operator after the operands: both end a token alike.
                objects = read[operands] = _operands(operands + b" ", encoding)
            out.append((objects, operator))
    return out


def _operands(data: bytes, encoding: Any) -> list[Any]:
    out: list[Any] = []
    pos = 0
    while (found := _TOKEN.match(data, pos)) is not None:
        at = found.lastindex
        if at == _ARRAY_AT:
            element, pos = _array(data, found.start(at), encoding)
        else:
            element, pos = _simple(at, found.group(at), encoding), found.end()  # type: ignore[arg-type]
        out.append(element)
    if _SPACE.match(data, pos).end() != len(data):  # type: ignore[union-attr]
        raise _Whole  # a dictionary, which no text operator reads
    return out


@cache
def _text_pattern(most_elements: int, most_entries: int) -> re.Pattern[bytes]:
    """Runs of other operations, then one text operation (its operands, its operator) or the odd byte met.

    The tokens are `_TOKEN`'s. A number is any run pypdf reads in its 20-byte peek (an odd one
    reads 0 with a warning), arrays and dictionaries hold simple tokens only, fewer than pypdf's
    limits (more are pypdf's to refuse), and a dictionary followed by `stream` is pypdf's to read
    as a stream. Quantifiers are possessive: tokens end where they end, so backtracking into
    them could only fail again, slowly.
    """
    simple = rb"(?:[+\-.0-9]{1,19}+(?=[^+\-.0-9])|" + rb"|".join([_NAME_BODY, _HEX_BODY, _STRING_BODY]) + rb")"
    array = rb"\[(?:" + _ARRAY_WS + simple + rb"){0,%d}+" % (most_elements - 1) + _ARRAY_WS + rb"\]"
    entry = _WS + _NAME_BODY + _WS + rb"(?:" + simple + rb"|" + array + rb")"
    dictionary = rb"<<(?:" + entry + rb"){0,%d}+" % (most_entries - 1) + _WS + rb">>(?!" + _WS + rb"s)"
    operands = rb"(?:(?:" + simple + rb"|" + array + rb"|" + dictionary + rb")" + _WS + rb")*+"
    text = rb"(?:BT|ET|[qQ'\"]|cm|Do|T[zcwLfdDm*jJ])" + _ENDS
    # pypdf reads an inline image (BI) as binary data, and `R` after two integers as a reference.
    other = rb"(?!" + text + rb"|BI" + _ENDS + rb"|R(?:[^A-Za-z]|\Z))" + _OPERATOR_BODY
    others = rb"(?:" + _WS + operands + other + rb")*+"
    # Every attempt matches, so findall skips nothing: operands at the very end are dropped, as pypdf drops them.
    return re.compile(others + _WS + rb"(" + operands + rb")(?:(" + text + rb")|([\s\S])|\Z)")


@contextmanager
def fast_contents(page: Any) -> Iterator[None]:
    """While open, `page`'s text is extracted through FastContentStream; the page is left as it was."""
    original = page.raw_get("/Contents") if "/Contents" in page else None
    try:
        content = page["/Contents"].get_object()
        if not isinstance(content, ContentStream):  # as pypdf's extraction wraps it
            page[NameObject("/Contents")] = FastContentStream(content, page.pdf, "bytes")
    except Exception:  # noqa: BLE001 - a fault reading the stream is pypdf's to meet again and report as it does
        pass
    try:
        yield
    finally:
        if original is not None:
            page[NameObject("/Contents")] = original
