"""Document variables at the border of the JSON formats (doccano ``meta``, Label Studio
``data``, JSONL): a stored value (canonical text, see :mod:`annotator.core.variables`)
as the JSON value of its type, so a number is a number and a yes/no a boolean."""

from __future__ import annotations

from annotator.store.project import Project


def typed(kind: str, value: str) -> object:
    """*value* (canonical text of a *kind* variable) as a JSON value: numbers as
    numbers, booleans as true/false, dates and text as strings."""
    if kind == "number":
        number = float(value)
        return (
            int(number) if number.is_integer() and "." not in value and "e" not in value else number
        )
    if kind == "boolean":
        return value == "true"
    return value


def typed_variables(project: Project) -> dict[int, dict[str, object]]:
    """Document id -> {key: JSON value}, in the variables' order, for documents that
    have any."""
    kinds = project.variables.types()
    return {
        doc_id: {key: typed(kinds[key], value) for key, value in values.items()}
        for doc_id, values in project.variables.all().items()
        if values
    }
