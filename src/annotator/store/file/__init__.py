"""The project file and keeping it safe: opening, the schema and its checks, the lock, side files, backups, health."""
