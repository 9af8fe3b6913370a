"""The sample article annotated as an analyst would: actors, claims, demands, an
allegation, attributes, relations and canonical actors. Used by the report and
statistics tests (and to take the README screenshots)."""

from __future__ import annotations

from annotator.store import Project


def find(project: Project, doc: int, needle: str, occurrence: int = 1) -> tuple[int, int]:
    text = project.text(doc)
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return at, at + len(needle)


# (name, needle, occurrence, label)
SPANS = (
    ("senate", "France’s Senate", 1, "actor"),
    ("assembly", "National Assembly", 1, "actor"),
    (
        "release",
        "calling for the immediate and unconditional release of the political leaders",
        1,
        "demand",
    ),
    ("azerbaijan", "Azerbaijan", 1, "actor"),
    ("assembly2", "National Assembly", 2, "actor"),
    ("lawmakers", "lawmakers Laurent Wauquiez and Alexandra Martin", 1, "actor"),
    ("support", "expressed strong support for ongoing peace efforts", 1, "claim"),
    ("government", "the French government", 1, "actor"),
    ("pressure", "intensify diplomatic pressure to secure the release", 1, "demand"),
    ("french", "French lawmakers", 1, "actor"),
    ("concern", "voiced deep concern over the continued displacement of Armenians", 1, "claim"),
    ("violations", "violations of international humanitarian law", 1, "allegation"),
    ("resolution", "the resolution", 1, "actor"),
    ("investigation", "launch of an independent international investigation", 1, "demand"),
    ("displacement", "forced displacement of Armenians from Artsakh", 1, "allegation"),
    ("azerbaijani", "Azerbaijani policy", 1, "actor"),
    # an overlap: the actor inside the allegation
    ("armenians", "Armenians from Artsakh", 2, "actor"),
)


def annotate_sample(project: Project, doc: int) -> dict[str, int]:
    """Annotate the sample article (document *doc*); return the annotation ids by name."""
    ids: dict[str, int] = {}
    with project.transaction():
        for name, needle, occurrence, label in SPANS:
            start, end = find(project, doc, needle, occurrence)
            ids[name] = project.annotate(doc, start, end, label).id
        project.update_annotation(ids["support"], note="Support for peace <b>efforts</b> & talks")
        project.set_attributes(ids["release"], {"issue": "detainees", "position": "+1"})
        project.set_attributes(ids["pressure"], {"issue": "detainees", "position": "+1"})
        project.set_attributes(ids["support"], {"issue": "peace process", "position": "+1"})
        project.set_attributes(ids["concern"], {"issue": "displacement", "position": "-1"})
        project.set_attributes(ids["investigation"], {"issue": "detainees", "position": "+1"})
        project.link_actor(ids["senate"], "French Senate", "organisation")
        project.link_actor(ids["assembly"], "French National Assembly", "organisation")
        project.link_actor(ids["assembly2"], "French National Assembly")
        project.link_actor(ids["resolution"], "French National Assembly")
        project.link_actor(ids["french"], "French National Assembly")
        project.link_actor(ids["lawmakers"], "Wauquiez and Martin", "person")
        project.link_actor(ids["government"], "Government of France", "state")
        project.link_actor(ids["azerbaijan"], "Azerbaijan", "state")
        project.link_actor(ids["azerbaijani"], "Azerbaijan")
        project.relate(ids["senate"], ids["release"], "claimant")
        project.relate(ids["assembly"], ids["release"], "claimant")
        project.relate(ids["release"], ids["azerbaijan"], "addressee")
        project.relate(ids["lawmakers"], ids["support"], "claimant")
        project.relate(ids["assembly2"], ids["pressure"], "claimant")
        project.relate(ids["pressure"], ids["government"], "addressee")
        project.relate(ids["french"], ids["concern"], "claimant")
        project.relate(ids["resolution"], ids["violations"], "claimant")
        project.relate(ids["violations"], ids["azerbaijan"], "accused")
        project.relate(ids["resolution"], ids["investigation"], "claimant")
        project.relate(ids["french"], ids["displacement"], "claimant")
        project.relate(ids["displacement"], ids["azerbaijani"], "accused")
    return ids
