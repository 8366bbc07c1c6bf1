"""The readers: web pages, Word documents and PDFs rendered into the text the lexer reads (disclosure_lint/readers/)."""
