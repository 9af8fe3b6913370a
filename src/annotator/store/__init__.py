"""The project file: schema, migrations and the :class:`Project` API. All SQL lives here."""

from annotator.store.models import Actor, Annotation, Document, Relation, Removed
from annotator.store.project import Project

__all__ = ["Actor", "Annotation", "Document", "Project", "Relation", "Removed"]
