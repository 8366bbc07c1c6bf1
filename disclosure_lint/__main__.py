"""``python -m disclosure_lint`` runs the command line."""

import sys

from .startup import collect_less_often

collect_less_often()  # before the package's modules are imported: their objects are most of start-up's

from .cli import main  # noqa: E402

sys.exit(main())
