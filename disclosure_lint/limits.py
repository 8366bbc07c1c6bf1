"""Every resource limit in one place, so that readers, the loaders and docs/security.md agree.

A report is 5–40 KB of text; a Word file with pictures a few MB. The limits sit far above what a real
report needs and far below what would exhaust a machine, so they only ever stop hostile or broken
input. Each one is enforced where the data is read, before the work it bounds is done.
"""

from __future__ import annotations

MB = 1024 * 1024

# --- files --------------------------------------------------------------------------------------------
# Largest input file read (report, stdin). --max-file-size / the max-file-size key change it.
MAX_FILE_SIZE = 50 * MB
# Largest configuration file or baseline read (rule files: rules.loader.MAX_RULE_FILE_BYTES, 1 MB).
MAX_CONFIG_FILE_SIZE = 5 * MB

# --- Word (.docx, a ZIP archive of XML parts) ------------------------------------------------------
MAX_ZIP_ENTRIES = 10_000
# Inflated size of any one part, and of all parts read together.
MAX_ZIP_ENTRY_SIZE = 100 * MB
MAX_ZIP_TOTAL_SIZE = 200 * MB
# Inflated size of one XML part: a 40-page report's document.xml is 1–3 MB, and lxml needs about ten
# times the text in memory, so this bounds the tree at a few hundred MB.
MAX_DOCX_XML_SIZE = 20 * MB
# A part over 1 MB that inflates more than this many times its compressed size is a bomb, not a
# document (real document.xml compresses 5–20×; a run of one repeated byte about 1000×).
MAX_ZIP_RATIO = 200
# Largest list number shown in its own format (letters, Roman, Chinese); beyond it, digits. Word counts
# to 32767, and a start of 10^11 in letters would otherwise be a string of 4 * 10^9 "z".
MAX_LIST_NUMBER = 10**6

# --- web pages -----------------------------------------------------------------------------------
# Tags ("<") in one page: a report page has a few thousand; each costs the tokenizer microseconds.
MAX_HTML_TAGS = 250_000

# --- rule packs and configuration ----------------------------------------------------------------
# Values a YAML document may stand for with its aliases expanded (a "billion laughs" file is a few
# lines standing for 10^9), and the nesting depth of any YAML or TOML document.
MAX_YAML_NODES = 100_000
MAX_NESTING = 100
# Entries (files and directories) walked in one rule directory.
MAX_RULE_DIR_ENTRIES = 10_000
# Combinations a rule's for_each may produce (the product of its sets' sizes).
MAX_FOR_EACH_BINDINGS = 10_000
# Characters in one glob (exclude, per-file-ignores), and globs in one such setting.
MAX_GLOB_LENGTH = 1000
MAX_GLOBS = 1000

# --- batches -------------------------------------------------------------------------------------
# Per-worker address-space limit in MB; 0 means none (--max-memory / the max-memory key).
DEFAULT_MAX_MEMORY_MB = 0
