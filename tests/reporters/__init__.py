"""The reporters: every output format, over results (disclosure_lint/reporters/, output.py)."""
