"""Entry script for frozen builds: the same as the ``reglament`` command.

``enable_frozen_children`` comes first: the helper processes a sync starts (the parser, the
window's sync process) are this same executable, and must run their task instead of the program.
"""

import sys

from desktop.processes import enable_frozen_children

if __name__ == "__main__":
    enable_frozen_children()
    from desktop.cli import main

    sys.exit(main())
