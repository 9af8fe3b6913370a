"""Several coders on one corpus: who codes, their layers, merging their files, curation."""
