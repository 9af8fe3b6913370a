"""The documents dock: rename, delete, reorder, groups, typed document variables."""
