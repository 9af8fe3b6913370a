"""File formats: one module per format, all behind :mod:`annotator.formats.registry`."""
