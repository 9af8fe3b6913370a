"""The project file and other files: the file guard, open/import/export, background work, web pages, the report."""
