"""The Preferences dialog: coder, theme, font, reading, snapping, shortcuts, backups."""
