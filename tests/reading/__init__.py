"""Stages 1–4 of the pipeline: reading, lexing, the row stage, the report grammar and the located model
(reading.py, lexer.py, rowtokens.py, parser.py, build.py, identity.py)."""
