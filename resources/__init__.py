"""Bundled data: codebooks and the sample article (read with importlib.resources)."""
