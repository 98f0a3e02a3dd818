"""`python -m lecto` and the `lecto` command.

Importing the CLI takes about half a second; Ctrl-C during it ends as quietly as later on.
"""

import sys


def run() -> None:
    try:
        from lecto.cli.app import main
    except KeyboardInterrupt:
        sys.stderr.write("lecto: interrupted\n")
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
