"""How fast `lecto` answers what needs no documents (`--version`, `-h`, a usage error) and a question over a PDF
already in the cache (what a one-shot `lecto ask` imports to read it); this checkout against another.

    git worktree add /tmp/lecto-before-cli HEAD
    flock /tmp/lecto-bench.lock python bench/cli_startup.py --before /tmp/lecto-before-cli --runs 10

(`--after` another worktree, when this checkout holds work in progress.)

Each command runs in a fresh process (`python -c` calling `lecto.__main__.run`, as the `lecto`
script does), the two sides alternating run by run so both see the same load; each side imports
its own tree through a folder of symlinks ahead of this checkout's editable install. The table
gives each command's median wall time over the runs, and the import time of `lecto.cli.app`
alone (`python -X importtime`, median of the runs). The PDF is parsed into a fresh cache once,
before the timed runs; both sides read it from there (the same ingester version, the same key).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sides import package_folder

HANDBOOK = Path(__file__).resolve().parent.parent / "examples" / "garden-handbook.md"
PAXOS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "papers" / "paxos-made-simple.pdf"
QUESTION = "What does a proposer send to the acceptors?"
COMMANDS = {
    "lecto --version": ["--version"],
    "lecto -h": ["-h"],
    "lecto ask -h": ["ask", "-h"],
    'lecto ask FILE ""': ["ask", str(HANDBOOK), ""],
    'lecto ask FILE "   "': ["ask", str(HANDBOOK), "   "],
}
# The child: this side's tree before the editable install, then the `lecto` entry point itself.
_CHILD = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, sys.argv.pop(1))
{body}
"""
_RUN = "from lecto.__main__ import run; sys.argv[0] = 'lecto'; run()"
_IMPORT = "import lecto.cli.app"


def cached_pdf_commands(cache: Path) -> dict[str, list[str]]:
    """A question over PAXOS, planned only and answered, with `cache` holding its parsed text."""
    asked = ["--cache-dir", str(cache), str(PAXOS), QUESTION]
    return {
        "lecto ask PDF Q --dry-run (cached)": ["ask", "--dry-run", *asked],
        "lecto ask PDF Q (cached)": ["ask", "--no-log", *asked],
    }


def timed(folder: Path, args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _CHILD.format(body=_RUN), str(folder), *args], capture_output=True, check=False
    )
    return time.perf_counter() - start


def import_seconds(folder: Path) -> float:
    """`lecto.cli.app`'s cumulative import time as `-X importtime` reports it."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _CHILD.format(body=_IMPORT), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    (micros,) = re.findall(r"\|\s*(\d+) \|\s*lecto\.cli\.app$", out, flags=re.MULTILINE)
    return int(micros) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a worktree of the commit to compare with")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parent.parent, help="default: here")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    sides = {"before": package_folder(args.before), "after": package_folder(args.after)}
    commands = COMMANDS | cached_pdf_commands(Path(tempfile.mkdtemp(prefix="lecto-startup-cache-")))
    timed(sides["after"], commands["lecto ask PDF Q --dry-run (cached)"])  # parses the PDF into the cache
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for side, folder in sides.items():
            times.setdefault((side, "import lecto.cli.app"), []).append(import_seconds(folder))
            for name, argv in commands.items():
                times.setdefault((side, name), []).append(timed(folder, argv))
    print("| command | before ms | after ms |")
    print("| --- | ---: | ---: |")
    for name in ["import lecto.cli.app", *commands]:
        before, after = (statistics.median(times[side, name]) * 1000 for side in sides)
        print(f"| `{name}` | {before:.0f} | {after:.0f} |")


if __name__ == "__main__":
    main()
