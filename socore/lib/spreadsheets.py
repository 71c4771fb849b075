"""Helpers for files that people open in spreadsheet programs."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """Make a cell that a spreadsheet would evaluate as a formula plain text instead."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
