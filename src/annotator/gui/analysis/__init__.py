"""Analysis you can drill into: co-occurrence and label x variable matrices."""
