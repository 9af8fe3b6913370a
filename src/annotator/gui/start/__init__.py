"""The start page (no project open) and the new-project dialog."""
