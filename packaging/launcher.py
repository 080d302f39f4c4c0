"""Entry script for frozen builds: the same as the ``reglament`` command."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
