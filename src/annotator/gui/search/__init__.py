"""Search across the corpus: keyword in context, and annotating every hit."""
