"""Other programs' SQLite files, read (and DNA's written) as their authors meant them."""
