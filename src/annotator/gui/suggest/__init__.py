"""The suggestion layer in the window (issue 17): outlines in the document view, the
keys that accept, reject and step through suggestions, and the Suggestions panel."""
