"""The codebook editor, the code system dock and retrieved segments (issue 15)."""
