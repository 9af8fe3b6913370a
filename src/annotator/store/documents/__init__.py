"""What is kept about documents besides their text: titles and order, groups, variables, memos, deleting one for undo."""
