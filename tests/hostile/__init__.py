"""Hostile and broken input through every stage: limits, fuzzing, never a traceback, hang or overwrite."""
