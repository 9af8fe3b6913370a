"""*Pretrained*: a spaCy pipeline the user has installed, its entities mapped to labels.

Nothing is fetched: only pipeline packages already installed in this Python are found
(``spacy.util.get_installed_models``), and spaCy is imported only when a pipeline is
listed or run. With none installed, :func:`how_to_install` says what to do.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from typing import Any

from annotator.core.errors import InputError
from annotator.core.suggest import Suggestion

SOURCE = "pretrained"
# spaCy's OntoNotes entity types that name an actor of a claim
DEFAULT_MAPPING: dict[str, str] = {
    "PERSON": "actor",
    "ORG": "actor",
    "GPE": "actor",
    "NORP": "actor",
}
SCORE = 0.8  # spaCy's NER gives no probability per entity


def how_to_install() -> str:
    return (
        "no spaCy pipeline is installed: install one into Annotator's Python, e.g. "
        "'pip install spacy' then 'python -m spacy download en_core_web_sm' (spaCy "
        "with its libraries takes about 330 MB on disk and 100 MB of memory, the small "
        "English pipeline 12 MB more); Annotator never downloads one itself"
    )


def installed_pipelines() -> list[str]:
    """The names of the spaCy pipeline packages installed here (none without spaCy)."""
    if importlib.util.find_spec("spacy") is None:
        return []
    import spacy.util

    return sorted(spacy.util.get_installed_models())


def load(name: str | None = None) -> Any:
    """Load the installed pipeline *name* (the first one found if None)."""
    names = installed_pipelines()
    if not names:
        raise InputError(how_to_install())
    if name is None:
        name = names[0]
    elif name not in names:
        raise InputError(f"no spaCy pipeline '{name}' is installed (installed: {', '.join(names)})")
    import spacy

    return spacy.load(name, exclude=["lemmatizer"])


def parse_mapping(items: Iterable[str], labels: Iterable[str]) -> dict[str, str]:
    """``TYPE=label`` items as a mapping; each label must be in *labels*."""
    known = set(labels)
    out: dict[str, str] = {}
    for item in items:
        kind, sep, label = item.partition("=")
        if not sep or not kind.strip() or not label.strip():
            raise InputError(f"a mapping is ENTITY_TYPE=label, not '{item}'")
        if label.strip() not in known:
            raise InputError(f"'{label.strip()}' is no label of this project")
        out[kind.strip().upper()] = label.strip()
    return out


def entities_to_suggestions(
    entities: Iterable[tuple[int, int, str]],
    mapping: Mapping[str, str],
    skip: Iterable[tuple[int, int, str]] = (),
) -> list[Suggestion]:
    """``(start, end, entity type)`` (code points) mapped to our labels; unmapped types
    are dropped."""
    skipped = set(skip)
    out = []
    for start, end, kind in entities:
        label = mapping.get(kind)
        if label is not None and (start, end, label) not in skipped:
            out.append(Suggestion(start, end, label, SCORE, SOURCE))
    return sorted(set(out), key=lambda x: (x.start, x.end, x.label))


class Pretrained:
    """A loaded spaCy pipeline and the mapping of its entity types to our labels."""

    def __init__(self, nlp: Any, mapping: Mapping[str, str] = DEFAULT_MAPPING) -> None:
        self.nlp = nlp
        self.mapping = dict(mapping)

    def find(self, text: str, skip: Iterable[tuple[int, int, str]] = ()) -> list[Suggestion]:
        doc = self.nlp(text)
        # spaCy's character offsets are Python str indexes: code points, as ours
        return entities_to_suggestions(
            ((e.start_char, e.end_char, e.label_) for e in doc.ents), self.mapping, skip
        )
