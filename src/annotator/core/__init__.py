"""Pure-Python core: text, offsets, spans, codebook. No Qt, no storage."""
