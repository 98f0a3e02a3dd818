"""A page's text as pypdf 7.1's `extract_text()` reads it, operation for operation, in less time.

pypdf runs each text operation through a handler that multiplies the text and page matrices
again, copies both, and builds the text read so far anew to look at its last character. A
filing set one glyph at a time (Coca-Cola's 10-K: 739,000 glyphs, each its own `Td` and `Tj`)
spends most of its reading there. `Reading` below does the same arithmetic in the same order,
so the text is the same to the character, but keeps what does not change: the product of two
matrices until one of them moves, each glyph's characters and width per font, the last
character read. Only the operations text extraction reads come from the stream
(`pdf_content.text_operations`); a form XObject's text is pypdf's own.

It mirrors pypdf 7.1 exactly, so another pypdf reads its own way (`extract_text`).
"""

from __future__ import annotations

import math
from typing import Any

import pypdf
from pypdf import _text_extraction
from pypdf._codecs import encoding_dict_from_named_encoding
from pypdf._page import _get_font_resources, _get_page_resources
from pypdf._text_extraction import RTL_CHARACTER_PATTERN, _has_text_operator, get_display_str
from pypdf._utils import _TraversalState
from pypdf.generic import ArrayObject, ContentStream, NameObject
from pypdf.generic._font import Font, FontDescriptor

from lecto.ingest.pdf_content import FastContentStream, text_operations

MIRRORED = "7.1."
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# extract_text()'s defaults: every orientation, and the space width of a font that has none.
_ORIENTATIONS = (0, 90, 180, 270)
_SPACE_WIDTH = 200.0
Matrix = tuple[float, float, float, float, float, float]


def page_text(page: Any) -> str:
    """`page.extract_text()`, the same text."""
    if not pypdf.__version__.startswith(MIRRORED):
        return str(page.extract_text())
    resources = _get_page_resources(page)
    if not resources:
        return ""
    fonts = _fonts(resources)
    try:
        content = page["/Contents"].get_object()
        if not isinstance(content, ContentStream):
            content = FastContentStream(content, page.pdf, "bytes")
    except (AttributeError, KeyError):  # no content: an empty page
        return ""
    data = content.get_data()
    if not _has_text_operator(data):
        return ""
    reading = Reading(page, resources, fonts)
    for operands, operator in text_operations(content, data):
        _HANDLERS[operator](reading, operands)
    return reading.output + reading.text


def _fonts(resources: Any) -> dict[str, Font]:
    fonts: dict[str, Font] = {}
    for name, resource in _get_font_resources(resources).items():
        try:
            fonts[name] = font = Font.from_font_resource(resource.get_object())
            if font.character_widths.get(font.space_char, 0) == 0:
                font.space_width = _SPACE_WIDTH
        except (AttributeError, TypeError):  # pypdf leaves such a font out too
            pass
    return fonts


def _mult(m: Any, n: Matrix) -> Matrix:
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _number(operands: list[Any], index: int, default: float) -> float:
    if index < len(operands) and isinstance(operands[index], (int, float)):
        return float(operands[index])
    return default


def _unknown_font() -> Font:
    """What pypdf reads a glyph of a font the page does not have with."""
    table = dict.fromkeys(range(256), "\ufffd")
    return Font("Unknown", space_width=250, encoding=table, font_descriptor=FontDescriptor(), character_map={})


def _glyphs(font: Font, raw: str | bytes) -> tuple[str, float, str | None]:
    """What showing `raw` in `font` adds: its characters, their width, and their display text.

    The display text is None where pypdf adds the characters as they are (a string operand) or
    must order them itself (right-to-left characters).
    """
    if isinstance(raw, str):
        shown, measured, display = raw, raw, None
    else:
        if isinstance(font.encoding, str):
            try:
                shown = raw.decode(font.encoding, "surrogatepass")
            except UnicodeDecodeError:
                shown = raw.decode(font.encoding, "replace")
            measured = shown
        else:
            shown = "".join(font.encoding.get(x, chr(x)) for x in raw)
            measured = "".join(chr(x) for x in raw) or shown
        display = "".join(font.character_map.get(c, c) for c in shown)
        if RTL_CHARACTER_PATTERN.search(display) is not None:
            display = None
    width = 0.0
    for char in measured:
        width += font.space_width if char == font.space_char else font.get_text_width(char)
    return shown, width, display


class Reading:
    """The state of one page's text extraction, as pypdf's TextExtraction keeps it (what its visitors see left out)."""

    def __init__(self, page: Any, resources: Any, fonts: dict[str, Font]) -> None:
        self.page, self.resources, self.fonts = page, resources, fonts
        self.cm: Matrix = _IDENTITY
        self.tm: Matrix = _IDENTITY
        self.stack: list[tuple[Any, ...]] = []
        self.text = self.output = ""
        self.font = Font(
            name="NotInitialized",
            sub_type="Unknown",
            encoding=encoding_dict_from_named_encoding("cp1252"),
            font_descriptor=FontDescriptor(),
        )
        self.shown: dict[int, tuple[Font, dict[Any, tuple[str, float, str | None]]]] = {}
        self.glyphs = self._glyph_cache(self.font)
        self.font_size, self.half_space, self.font_space = 12.0, 500.0, None  # font_space: the last font's, after Tf
        self.widths = self.height = self.leading = self.char_spacing = 0.0
        self.line: tuple[int, float, float] | None = None  # axis, lowest and highest baseline of the line
        self.rtl = False
        self.custom_rtl = _custom_rtl()  # pypdf's module setting, read once a page
        # The last position compared (pypdf's previous matrices, multiplied), and the product in hand.
        self.prev: Matrix = _IDENTITY
        self.prev_scales = (1.0, 1.0)
        self.scaled: Matrix | None = None  # the matrix prev_scales are of
        self.product: tuple[Matrix, Matrix, Matrix] = (_IDENTITY, _IDENTITY, _IDENTITY)  # tm, cm, tm x cm
        self.known_ids: set[int] = set()
        self.traversal = _TraversalState()

    def _glyph_cache(self, font: Font) -> dict[Any, tuple[str, float, str | None]]:
        # Keyed by the font's id, the font kept with it so that no other font takes the id.
        return self.shown.setdefault(id(font), (font, {}))[1]

    def flush(self) -> None:
        self.output += self.text
        self.text = ""

    def show(self, raw: str | bytes) -> None:
        """Add a string's characters to the text and their width to the run's (pypdf's _handle_tj)."""
        self.font_space = None
        glyph = self.glyphs.get(raw)
        if glyph is None:
            glyph = self.glyphs[raw] = _glyphs(self.font, raw)
        shown, width, display = glyph
        if isinstance(raw, str):
            self.text += shown
        elif display is not None and not self.rtl and not self.custom_rtl:
            self.text += display
        else:
            self.text, self.rtl, done = get_display_str(
                self.text, list(self.cm), list(self.tm), None, self.font, shown, self.font_size, self.rtl, None
            )
            self.output += done
        self.widths += width * self.font_size + 1000 * self.char_spacing * len(shown)
        self.height = self.font_size

    def moved(self, widths: float) -> None:
        """After a move or a string: a line break or a space where the position says (pypdf's crlf_space_check)."""
        space = self.font_size * self.half_space
        if self.font_space is not None:
            space = min(space, self.font_space)
        tm, cm, m = self.product
        if tm is not self.tm or cm is not self.cm:
            m = _mult(self.tm, self.cm)
            self.product = (self.tm, self.cm, m)
        prev = self.prev
        if self.scaled is not prev:
            self.prev_scales = (math.sqrt(prev[0] ** 2 + prev[1] ** 2), math.sqrt(prev[2] ** 2 + prev[3] ** 2))
            self.scaled = prev
        scale_prev_x, scale_prev_y = self.prev_scales
        scale_y = scale_prev_y if m is prev else math.sqrt(m[2] ** 2 + m[3] ** 2)
        if m[3] > 1e-6 or m[3] < -1e-6:  # upright or upside down: lines run along x
            axis, moved_height, moved_width = 5, m[5] - prev[5], m[4] - prev[4]
        else:
            axis, moved_height, moved_width = 4, m[4] - prev[4], m[5] - prev[5]
        at, line = m[axis], self.line
        if line is None or line[0] != axis:
            distance = abs(moved_height)
        else:
            distance = 0.0 if line[1] <= at <= line[2] else min(abs(at - line[1]), abs(at - line[2]))
        text = self.text
        last = text[-1:] if text else self.output[-1:]
        threshold = 0.8 * min(self.height * scale_prev_y, self.font_size * scale_y)
        if distance > threshold:
            if last not in ("", "\n"):
                self.output += text + "\n"
                self.text = ""
            self.line = (axis, at, at)
        else:
            spaced = abs(moved_height) > threshold or moved_width >= (space / 1000 + widths) * scale_prev_x
            if spaced and last not in ("", " "):
                self.text = text + " "
            if last in ("", "\n") or line is None or line[0] != axis:
                self.line = (axis, at, at)
            else:
                self.line = (axis, min(line[1], at), max(line[2], at))
        self.prev = m

    # The operators, as pypdf's _extract_text and its TextExtraction's handlers read them.

    def begin_text(self, operands: list[Any]) -> None:
        self.tm = _IDENTITY
        self.flush()

    def end_text(self, operands: list[Any]) -> None:
        self.flush()

    def save(self, operands: list[Any]) -> None:
        self.stack.append((self.cm, self.font, self.glyphs, self.font_size, self.char_spacing, self.leading))

    def restore(self, operands: list[Any]) -> None:
        if self.stack:
            self.cm, self.font, self.glyphs, self.font_size, self.char_spacing, self.leading = self.stack.pop()
        else:
            self.cm = _IDENTITY

    def transform(self, operands: list[Any]) -> None:
        self.flush()
        try:
            self.cm = _mult([float(operand) for operand in operands[:6]], self.cm)
        except (TypeError, ValueError, OverflowError, IndexError):
            self.cm = _IDENTITY

    def scaling(self, operands: list[Any]) -> None:  # Tz, Tw: read, and never used by the text
        _number(operands, 0, 0.0)

    def spacing(self, operands: list[Any]) -> None:
        self.char_spacing = _number(operands, 0, 0.0)

    def set_leading(self, operands: list[Any]) -> None:
        self.leading = _number(operands, 0, 0.0)

    def set_font(self, operands: list[Any]) -> None:
        if self.text != "":
            self.font_space = self.font_size * self.half_space
            self.output += self.text
        self.text = ""
        try:
            self.font = self.fonts[operands[0]]
        except (KeyError, IndexError):
            self.font = _unknown_font()
        self.glyphs = self._glyph_cache(self.font)
        self.half_space = self.font.space_width / 2
        try:
            self.font_size = float(operands[1])
        except (IndexError, TypeError, ValueError, OverflowError):
            pass

    def _run_ends(self) -> float:
        widths = self.widths / 1000
        self.widths = 0.0
        return widths or 0.0

    def move(self, operands: list[Any]) -> None:
        tx, ty = _number(operands, 0, 0.0), _number(operands, 1, 0.0)
        a, b, c, d, e, f = self.tm
        self.tm = (a, b, c, d, e + (tx * a + ty * c), f + (tx * b + ty * d))
        self.moved(self._run_ends())

    def move_leading(self, operands: list[Any]) -> None:  # TD
        if len(operands) >= 2:
            if isinstance(operands[1], (int, float)):
                self.leading = float(-operands[1])
            self.move(operands)

    def set_matrix(self, operands: list[Any]) -> None:
        try:
            tm = [float(operand) for operand in operands[:6]]
        except (TypeError, ValueError):
            tm = []
        self.tm = (tm[0], tm[1], tm[2], tm[3], tm[4], tm[5]) if len(tm) == 6 else _IDENTITY
        self.moved(self._run_ends())

    def next_line(self, operands: list[Any]) -> None:  # T*
        a, b, c, d, e, f = self.tm
        self.tm = (a, b, c, d, e - self.leading * c, f - self.leading * d)
        self.moved(self._run_ends())

    def show_string(self, operands: list[Any]) -> None:  # Tj
        if operands and isinstance(operands[0], (str, bytes)):
            self.show(operands[0])
        self.moved(0.0)

    def show_array(self, operands: list[Any]) -> None:  # TJ
        gap = self.half_space * 0.95
        if operands and isinstance(operands[0], ArrayObject):
            for element in operands[0]:
                if isinstance(element, (str, bytes)) and not isinstance(element, NameObject):
                    self.show(element)
                    self.moved(0.0)
                if isinstance(element, (int, float)):
                    self._offset(float(element), gap)

    def _offset(self, offset: float, gap: float) -> None:
        """A number in a TJ array: it moves the pen, and a gap of a space or more is a word space."""
        widths = self.widths - offset * self.font_size
        previous = self.text or self.output
        if -offset >= gap and previous and previous[-1] not in " \n":
            self.show(" ")
            self.moved(0.0)
        self.widths = widths

    def next_line_show(self, operands: list[Any]) -> None:  # '
        self.next_line([])
        self.show_string(operands)

    def spaced_next_line_show(self, operands: list[Any]) -> None:  # "
        if len(operands) >= 3:
            self.scaling([operands[0]])
            self.spacing([operands[1]])
            self.next_line([])
            self.show_string(operands[2:])

    def paint(self, operands: list[Any]) -> None:  # Do: a form XObject's text, read by pypdf
        if not operands:
            return
        self.output += self.text
        if self.output and self.output[-1] != "\n":
            self.output += "\n"
        try:
            text = self.page._extract_text__xform(
                resources_dict=self.resources,
                operands=operands,
                orientations=_ORIENTATIONS,
                space_width=_SPACE_WIDTH,
                visitor_operand_before=None,
                visitor_operand_after=None,
                visitor_text=None,
                known_ids=self.known_ids,
                traversal_state=self.traversal,
            )
            if text is not None:
                self.output += text
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001, S110 - pypdf logs a form it cannot read and goes on without its text
            pass
        finally:
            self.text = ""


def _custom_rtl() -> bool:
    """Whether pypdf was told of other right-to-left characters (set_custom_rtl), which only its own ordering knows."""
    return bool(_text_extraction.CUSTOM_RTL_MIN and _text_extraction.CUSTOM_RTL_MAX)


_HANDLERS = {
    b"BT": Reading.begin_text,
    b"ET": Reading.end_text,
    b"q": Reading.save,
    b"Q": Reading.restore,
    b"cm": Reading.transform,
    b"Tz": Reading.scaling,
    b"Tw": Reading.scaling,
    b"Tc": Reading.spacing,
    b"TL": Reading.set_leading,
    b"Tf": Reading.set_font,
    b"Td": Reading.move,
    b"TD": Reading.move_leading,
    b"Tm": Reading.set_matrix,
    b"T*": Reading.next_line,
    b"Tj": Reading.show_string,
    b"TJ": Reading.show_array,
    b"'": Reading.next_line_show,
    b'"': Reading.spaced_next_line_show,
    b"Do": Reading.paint,
}
