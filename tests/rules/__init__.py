"""The rules: the engine, the expression language, the loader, the built-in checks and the rule files
(disclosure_lint/rules/, rules/)."""
