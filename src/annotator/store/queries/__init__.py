"""Reads behind the window, the exports and the analyses: each module one kind of question."""
