"""The claims table and the statistics, over plain rows (the networks: test_network_preset)."""

from __future__ import annotations

from annotator.core.analysis import (
    BASE_COLUMNS,
    ActorRef,
    AnalysisInput,
    Item,
    Link,
    claim_cells,
    claim_columns,
    claim_labels,
    claims_table,
    statistics,
)
from annotator.core.codebook import default_codebook, load_codebook

LABELS = ("claim", "demand", "actor", "allegation")
CLAIMS = ("claim", "demand", "allegation")
KEYS = ("position", "issue", "form")


def item(id: int, label: str, start: int, doc: int = 1) -> Item:
    return Item(id, doc, f"doc {doc}", start, start + 5, f"text {id}", label)


def data(
    claims: list[Item],
    links: list[Link],
    refs: dict[int, tuple[ActorRef, int]],
    attributes: dict[int, dict[str, str]] | None = None,
    mentions: list[ActorRef] | None = None,
    counts: dict[int, dict[str, int]] | None = None,
) -> AnalysisInput:
    return AnalysisInput(
        labels=LABELS,
        claim_labels=CLAIMS,
        attribute_keys=KEYS,
        documents=((1, "doc 1"), (2, "doc 2")),
        claims=claims,
        links=links,
        refs={k: v[0] for k, v in refs.items()},
        starts={k: v[1] for k, v in refs.items()},
        mentions=mentions or [],
        attributes=attributes or {},
        label_counts=counts or {},
    )


SENATE = ActorRef("French Senate", "organisation")
ASSEMBLY = ActorRef("National Assembly", "organisation")
GOVERNMENT = ActorRef("French government", "state")
AZERBAIJAN = ActorRef("Azerbaijan", "state")
UNLINKED = ActorRef("Armenian detainees")


def test_codebook_claim_labels() -> None:
    assert claim_labels(default_codebook()) == CLAIMS
    plain = load_codebook(
        "name: x\nlabels:\n  - {key: claim, name: C, colour: '#000000'}\n"
        "  - {key: note, name: N, colour: '#111111'}\n"
    )
    assert claim_labels(plain) == ("claim",)


def test_roles_follow_their_directions_and_dedupe_by_actor() -> None:
    demand, allegation = item(10, "demand", 50), item(11, "allegation", 10)
    refs = {
        1: (SENATE, 0),
        2: (ASSEMBLY, 20),
        3: (ASSEMBLY, 300),  # a second mention of the same actor
        4: (GOVERNMENT, 100),
        5: (AZERBAIJAN, 200),
        6: (UNLINKED, 120),
    }
    links = [
        Link("claimant", 3, 10),
        Link("claimant", 2, 10),
        Link("claimant", 1, 10),
        Link("addressee", 10, 4),
        Link("object", 10, 6),
        Link("accused", 11, 5),
        Link("claimant", 10, 4),  # wrong direction: a claim is no claimant
        Link("other", 1, 11),  # not a role
    ]
    table = claims_table(data([demand, allegation], links, refs, {10: {"issue": "detainees"}}))
    assert [c.item.id for c in table] == [11, 10]  # text order
    second = table[1]
    assert second.claimant == (SENATE, ASSEMBLY)  # text order of first mention, once each
    assert second.addressee == (GOVERNMENT,)
    assert second.object == (UNLINKED,)
    assert second.accused == ()
    assert table[0].accused == (AZERBAIJAN,)
    assert table[0].claimant == ()
    cells = claim_cells(second, KEYS)
    row = dict(zip(claim_columns(KEYS), cells, strict=True))
    assert row["claimant"] == "French Senate; National Assembly"
    assert row["addressee"] == "French government"
    assert row["object"] == "Armenian detainees"
    assert row["issue"] == "detainees"
    assert row["position"] == ""
    assert row["annotation_id"] == 10


def test_attribute_named_like_a_column_is_prefixed() -> None:
    columns = claim_columns(("text", "issue"))
    assert columns == (*BASE_COLUMNS, "attribute_text", "issue")
    assert len(set(columns)) == len(columns)


def test_statistics_counts() -> None:
    claims_rows = [item(10, "demand", 50), item(11, "allegation", 10), item(12, "claim", 5, doc=2)]
    refs = {1: (SENATE, 0), 2: (ASSEMBLY, 20), 4: (GOVERNMENT, 100), 5: (AZERBAIJAN, 200)}
    links = [
        Link("claimant", 1, 10),
        Link("claimant", 2, 10),
        Link("addressee", 10, 4),
        Link("claimant", 1, 11),
        Link("accused", 11, 5),
    ]
    mentions = [SENATE, SENATE, ASSEMBLY, GOVERNMENT, AZERBAIJAN, UNLINKED]
    counts = {1: {"demand": 1, "allegation": 1, "actor": 5}, 2: {"claim": 1, "actor": 1}}
    stats = statistics(data(claims_rows, links, refs, mentions=mentions, counts=counts))
    assert stats.per_label == {"claim": 1, "demand": 1, "actor": 6, "allegation": 1}
    assert stats.per_document[2] == {"claim": 1, "demand": 0, "actor": 1, "allegation": 0}
    assert stats.annotations == 9
    assert stats.claims == 3
    assert stats.claims_by_actor == [("French Senate", 2), ("National Assembly", 1)]
    assert stats.mentions_by_actor[0] == ("French Senate", 2)
    assert sum(n for _, n in stats.mentions_by_actor) == len(mentions)
    assert stats.actor_label["French Senate"] == {"claim": 0, "demand": 1, "allegation": 1}
    assert stats.actor_label["Azerbaijan"] == {"claim": 0, "demand": 0, "allegation": 1}
    assert stats.actor_roles["French government"]["addressee"] == 1
    assert stats.actor_roles["Azerbaijan"]["accused"] == 1
    top = stats.top(1)
    assert top.claims_by_actor == [("French Senate", 2)]
    assert set(top.actor_label) == {"French Senate"}
    assert stats.top(0) is stats
