"""The window's parts for several coders: the Team menu, coders and their layers,
merging coders' files, agreement and curation."""
