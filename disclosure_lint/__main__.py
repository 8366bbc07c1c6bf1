"""``python -m disclosure_lint`` runs the command line."""

from .startup import collect_less_often

collect_less_often()  # before the package's modules are imported: their objects are most of start-up's

from .cli import run  # noqa: E402

run()
