"""The document view and its painting: the text as shown, span formats, reading settings, find."""
