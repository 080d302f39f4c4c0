"""``python -m desktop.cli`` — the same as the ``reglament`` command."""

import sys

from desktop.cli import main

sys.exit(main())
