"""Changing annotations: the undo commands, the keys on spans, the label menu and palette."""
