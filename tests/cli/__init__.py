"""The command line as users run it (cli.py, cli_parser.py, the pre-commit hook)."""
