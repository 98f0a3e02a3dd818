"""Options shared by several commands, declared once as `Annotated` types, and the settings they build.

Every command module is imported to build `lecto -h`, `--version` and each usage error, so
none imports the model, ingest or store stack at its top: that stack takes half a second to
import, and `settings` (called once the arguments are known good) loads it.
"""

from __future__ import annotations

import inspect
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from lecto.cli.convert import convert_plainly
from lecto.config import CONFIG_SETTINGS
from lecto.data import Style
from lecto.errors import ConfigError

if TYPE_CHECKING:
    from lecto.ingest.registry import IngestOptions
    from lecto.session import Settings


class PlainHelp(TyperCommand):
    """Help as ripgrep and gh print it: no type after a flag, arguments by their metavar, examples as written.

    Its values convert without pydantic where they can (see cli/convert.py).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        # The context's object is the config file's error, if it cannot be used (cli/app.py's `main`).
        broken = ctx.find_root().obj
        if isinstance(broken, ConfigError) and CONFIG_SETTINGS & {p.name for p in self.params}:
            raise broken
        return super().invoke(ctx)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [self.options_metavar or "", *(_metavar(p) for p in self.get_params(ctx) if _is_argument(p))]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments = [(_metavar(p), p.help or "") for p in self.get_params(ctx) if _is_argument(p)]
        options = [r for p in self.get_params(ctx) if not _is_argument(p) and (r := p.get_help_record(ctx))]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if not rows:
                continue
            with formatter.section(title):
                formatter.write_dl(rows)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        # The examples are laid out by hand; rewrapping them would join commands into one line.
        if self.epilog:
            formatter.write("\n" + inspect.cleandoc(self.epilog) + "\n")


class PlainGroup(TyperGroup):
    """A group of commands whose own options (-h, --version, Typer's completion) convert as cli/convert.py says."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)


def _is_argument(param: Any) -> bool:
    return param.param_type_name == "argument"


def _metavar(param: Any) -> str:
    return param.metavar or param.name.upper()


class Format(StrEnum):
    """How `lecto ask` prints its answers."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"


class BackendName(StrEnum):
    """The registered backends a user can name; `--model` picks one when none is named."""

    LLAMA = "llama.cpp"
    TORCH = "torch"
    OPENAI = "openai"


ModelOpt = Annotated[
    Optional[str],
    typer.Option(
        "--model",
        "-m",
        envvar="LECTO_MODEL",
        metavar="MODEL",
        help="A .gguf file, hf:DIR (a Hugging Face checkpoint folder) or openai:http://host:port/v1[#model]"
        " (default: the bundled SmolLM2-135M-Instruct).",
        show_default=False,
    ),
]
CtxOpt = Annotated[
    Optional[int], typer.Option("--ctx", min=256, metavar="N", help="Cap the model's context window (tokens).")
]
GpuLayersOpt = Annotated[
    int,
    typer.Option(
        "--gpu-layers", min=-1, metavar="N", help="Layers to offload to a GPU (llama.cpp built with CUDA; -1 = all)."
    ),
]
BackendOpt = Annotated[
    Optional[BackendName],
    typer.Option(
        "--backend",
        envvar="LECTO_BACKEND",
        case_sensitive=False,
        help="Run the model with this backend (e.g. torch for a .gguf); default: chosen by --model.",
        show_default=False,
    ),
]
CacheDirOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--cache-dir",
        envvar="LECTO_CACHE_DIR",
        metavar="DIR",
        help="Where parsed documents are cached.",
        show_default=False,
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]
PasswordOpt = Annotated[
    Optional[str],
    typer.Option(
        "--password",
        envvar="LECTO_PDF_PASSWORD",
        metavar="TEXT",
        help="Password of encrypted PDFs. Set LECTO_PDF_PASSWORD instead to keep it off the command line"
        " (and out of shell history); it is never cached.",
        show_default=False,
    ),
]
OcrOpt = Annotated[
    bool,
    typer.Option("--ocr", help="Read PDF pages that have no text layer (scans) with OCR; needs ocrmypdf or tesseract."),
]


StyleOpt = Annotated[
    Optional[Style],
    typer.Option(
        "--answer",
        case_sensitive=False,
        help="grounded: the model chooses the source sentence that answers and lecto quotes it; free: the model"
        " writes the answer and cites for itself (default: grounded for models under 1B parameters).",
        show_default=False,
    ),
]


def settings(
    model: str | None,
    ctx: int | None,
    gpu_layers: int,
    cache: Path | None,
    ingest: IngestOptions,
    backend: BackendName | None = None,
    style: Style | None = None,
) -> Settings:
    from lecto.backends import ModelOptions
    from lecto.ingest.ocr import find_engine
    from lecto.paths import cache_dir
    from lecto.session import Settings
    from lecto.store import PREFIX_DIR

    if ingest.ocr:
        find_engine()  # asked for OCR without the tools: say what to install before reading anything
    return Settings(
        cache_dir=cache_dir(cache),
        model=ModelOptions(spec=model, ctx=ctx, gpu_layers=gpu_layers, prefix_dir=cache_dir(cache) / PREFIX_DIR),
        backend=backend.value if backend else None,
        ingest=ingest,
        style=style,
    )
