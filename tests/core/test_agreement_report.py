"""The agreement report (issue 11, item 3): every figure checked against a hand computation
or the core measure on a hand-built list; matching rules; undefined figures say why."""

from __future__ import annotations

import pytest

from annotator.core.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    unitized_alpha,
)
from annotator.core.agreement.report import AgreementReport, agreement_report
from annotator.core.agreement.units import AgreementData, ClaimCoding, CodedSpan, matched_units
from annotator.core.errors import InputError

LABELS = ("claim", "demand", "actor", "allegation")


def spans(*rows: tuple[int, int, int, str, str], document: int = 1) -> list[CodedSpan]:
    return [CodedSpan(i, document, s, e, label, coder) for i, s, e, label, coder in rows]


def one(report: AgreementReport, section: str, measure: str, **where: object) -> float | None:
    found = [
        f
        for f in report.select(section)
        if f.agreement.measure == measure
        and f.label == where.get("label")
        and f.document == where.get("document")
        and (where.get("coders") is None or f.coders == where.get("coders"))
    ]
    assert len(found) == 1, (section, measure, where, found)
    return found[0].agreement.value


# Ana: actor 0-10, claim 20-40, actor 50-60 (and one span in document 2, coded by her only)
# Ben: actor 0-10, demand 20-35, actor 55-80
TWO = AgreementData(
    coders=("Ana", "Ben"),
    labels=LABELS,
    documents={1: ("Senate", 100), 2: ("Only Ana", 30)},
    coded={1: frozenset({"Ana", "Ben"}), 2: frozenset({"Ana"})},
    spans=[
        *spans(
            (1, 0, 10, "actor", "Ana"),
            (2, 20, 40, "claim", "Ana"),
            (3, 50, 60, "actor", "Ana"),
            (4, 0, 10, "actor", "Ben"),
            (5, 20, 35, "demand", "Ben"),
            (6, 55, 80, "actor", "Ben"),
        ),
        *spans((7, 0, 5, "claim", "Ana"), document=2),
    ],
)


def test_two_coders_every_section_by_hand() -> None:
    report = agreement_report(TWO)
    assert report.shared == (1,) and report.selected == 2
    assert report.units == 3 and report.merged == 0
    pair = ("Ana", "Ben")
    # spans: exact matches only actor 0-10 (1 of 3 and 3); overlap also actor 50-60/55-80
    assert one(report, "spans-exact", "F1") == pytest.approx(2 * 1 / 6)
    assert one(report, "spans-exact", "precision") == pytest.approx(1 / 3)
    assert one(report, "spans-overlap", "F1") == pytest.approx(2 * 2 / 6)
    assert one(report, "spans-overlap", "F1", label="actor") == pytest.approx(1.0)
    assert one(report, "spans-overlap", "recall", label="claim") == 0.0
    assert one(report, "spans-overlap", "F1", document=1) == pytest.approx(2 / 3)
    # units: actor/actor, claim/demand, actor/actor
    assert one(report, "units", "percent agreement") == pytest.approx(2 / 3)
    # kappa: A_e = (2*2 + 1*0 + 0*1) / 9 = 4/9
    assert one(report, "units", "Cohen's kappa") == pytest.approx((2 / 3 - 4 / 9) / (5 / 9))
    # pi: pooled actor 4, claim 1, demand 1 of 6: A_e = 1/2
    assert one(report, "units", "Scott's pi") == pytest.approx((2 / 3 - 1 / 2) / (1 / 2))
    # S over the 4 codebook labels
    assert one(report, "units", "Bennett's S") == pytest.approx((2 / 3 - 1 / 4) / (3 / 4))
    # alpha: D_o = 2/6, D_e = (2*4 + 2*4 + 2*1) / (6*5)
    assert one(report, "units", "Krippendorff's alpha (nominal)") == pytest.approx(
        1 - (2 / 6) / (18 / 30)
    )
    # NVivo on actor: both 15, Ana only 5, Ben only 20, neither 60
    agreement = one(report, "characters", "character agreement", label="actor", coders=pair)
    assert agreement == pytest.approx(0.75)
    p_a, p_b = 0.2, 0.35
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    kappa = one(report, "characters", "character kappa", label="actor", coders=pair)
    assert kappa == pytest.approx((0.75 - expected) / (1 - expected))
    # alpha_U on the one shared document, as the core computes it on the hand-built units
    units = {
        "Ana": [(0, 10, "actor"), (20, 20, "claim"), (50, 10, "actor")],
        "Ben": [(0, 10, "actor"), (20, 15, "demand"), (55, 25, "actor")],
    }
    alpha_u = unitized_alpha(100, units)
    assert one(report, "characters", "Krippendorff's alpha_U") == alpha_u.overall.value
    actor = alpha_u.by_category["actor"].value
    assert one(report, "characters", "Krippendorff's alpha_U", label="actor") == actor
    allegation = report.select("characters", label="allegation")[0].agreement
    assert allegation.why == "no coder marked a unit with this label"
    # disagreements, in text order
    assert [(d.kind, d.start, d.end) for d in report.disagreements] == [
        ("label", 20, 40),
        ("boundaries", 50, 80),
    ]
    label = report.disagreements[0]
    assert [(c.coder, c.annotation_id, c.value) for c in label.codings] == [
        ("Ana", 2, "claim"),
        ("Ben", 5, "demand"),
    ]


def test_every_figure_says_what_it_is_computed_on() -> None:
    report = agreement_report(TWO)
    assert report.figures and all(f.on and f.agreement.counted for f in report.figures)
    assert {f.scope for f in report.figures} == {"pooled", "label", "document"}
    data = report.to_dict()
    assert data["documents_shared"] == [{"id": 1, "title": "Senate"}]
    assert set(data["rules"]) == {"spans-exact", "spans-overlap", "characters", "units", "claims"}
    assert len(data["figures"]) == len(report.figures)


def test_three_coders_fleiss_on_units_every_coder_marked() -> None:
    data = AgreementData(
        coders=("A", "B", "C"),
        labels=("actor", "claim", "demand"),
        documents={1: ("d", 50)},
        coded={1: frozenset("ABC")},
        spans=spans(
            (1, 0, 5, "actor", "A"),
            (2, 0, 5, "actor", "B"),
            (3, 0, 6, "actor", "C"),
            (4, 10, 20, "claim", "A"),
            (5, 10, 20, "claim", "B"),
            (6, 12, 20, "demand", "C"),
            (7, 30, 40, "demand", "A"),
            (8, 30, 40, "claim", "B"),
            (9, 30, 38, "claim", "C"),
            (10, 45, 48, "actor", "A"),
        ),
    )
    report = agreement_report(data)
    assert report.units == 4
    # by hand: P_i = 1, 1/3, 1/3; p_j = 3/9, 4/9, 2/9
    by_hand = (5 / 9 - 29 / 81) / (1 - 29 / 81)
    assert one(report, "units", "Fleiss' kappa") == pytest.approx(by_hand)
    assert fleiss_kappa([[3, 0, 0], [0, 2, 1], [0, 2, 1]]).value == pytest.approx(by_hand)
    alpha = krippendorff_alpha(
        [
            ["actor", "claim", "demand", "actor"],
            ["actor", "claim", "claim", None],
            ["actor", "demand", "claim", None],
        ]
    )
    assert one(report, "units", "Krippendorff's alpha (nominal)") == alpha.value
    b_c = cohen_kappa(["actor", "claim", "claim"], ["actor", "demand", "claim"]).value
    assert one(report, "units", "Cohen's kappa", coders=("B", "C")) == b_c
    fleiss = report.select("units", scope="pooled")
    assert [f.coders for f in fleiss if f.agreement.measure == "Fleiss' kappa"] == [("A", "B", "C")]
    assert next(f for f in fleiss if f.agreement.measure == "Fleiss' kappa").on.startswith(
        "3 units"
    )
    kinds = [(d.kind, d.start, d.missing) for d in report.disagreements]
    assert kinds == [
        ("boundaries", 0, ()),
        ("label", 10, ()),
        ("label", 30, ()),
        ("only some coders", 45, ("B", "C")),
    ]


def test_no_shared_document_is_said_never_one() -> None:
    data = AgreementData(
        coders=("Ana", "Ben"),
        labels=LABELS,
        documents={1: ("a", 20), 2: ("b", 20)},
        coded={1: frozenset({"Ana"}), 2: frozenset({"Ben"})},
        spans=[*spans((1, 0, 5, "actor", "Ana")), *spans((2, 0, 5, "actor", "Ben"), document=2)],
    )
    report = agreement_report(data)
    assert report.shared == ()
    pooled = report.select(scope="pooled")
    assert pooled and all(f.agreement.value is None for f in pooled)
    assert {f.agreement.why for f in pooled} == {"no document coded by both"}
    three = AgreementData(("A", "B", "C"), LABELS, {1: ("a", 9)}, {1: frozenset("AB")}, [])
    whys = {f.agreement.why for f in agreement_report(three).select(scope="pooled")}
    assert whys == {"no document coded by all 3 coders"}


def test_one_category_is_said() -> None:
    data = AgreementData(
        coders=("Ana", "Ben"),
        labels=LABELS,
        documents={1: ("a", 20)},
        coded={1: frozenset({"Ana", "Ben"})},
        spans=spans((1, 0, 5, "actor", "Ana"), (2, 0, 4, "actor", "Ben")),
    )
    report = agreement_report(data)
    kappa = report.select("units", scope="pooled")[1].agreement
    assert (kappa.measure, kappa.value, kappa.why) == ("Cohen's kappa", None, "only one category")


def test_fewer_than_two_coders_or_a_repeated_coder_is_refused() -> None:
    with pytest.raises(InputError, match="at least two coders"):
        agreement_report(AgreementData(("Ana",), LABELS, {}, {}, []))
    with pytest.raises(InputError, match="named twice"):
        agreement_report(AgreementData(("Ana", "Ana"), LABELS, {}, {}, []))


def test_overlapping_spans_of_one_coder_are_merged_for_alpha_u() -> None:
    data = AgreementData(
        coders=("Ana", "Ben"),
        labels=("actor",),
        documents={1: ("a", 40)},
        coded={1: frozenset({"Ana", "Ben"})},
        spans=spans(
            (1, 0, 10, "actor", "Ana"),
            (2, 5, 15, "actor", "Ana"),
            (3, 0, 15, "actor", "Ben"),
        ),
    )
    report = agreement_report(data)
    assert report.merged == 1
    merged = unitized_alpha(40, {"Ana": [(0, 15, "actor")], "Ben": [(0, 15, "actor")]})
    assert one(report, "characters", "Krippendorff's alpha_U") == merged.overall.value == 1.0
    assert "merged" in report.rules["characters"]


def test_claims_claimant_addressee_position_issue() -> None:
    data = AgreementData(
        coders=("Ana", "Ben"),
        labels=LABELS,
        documents={1: ("a", 100)},
        coded={1: frozenset({"Ana", "Ben"})},
        spans=spans(
            (1, 0, 10, "claim", "Ana"),
            (2, 20, 30, "demand", "Ana"),
            (3, 40, 50, "claim", "Ana"),
            (4, 0, 10, "claim", "Ben"),
            (5, 20, 30, "demand", "Ben"),
            (6, 40, 48, "demand", "Ben"),
            (7, 60, 70, "claim", "Ben"),  # Ben only: not a matched claim
        ),
        claim_labels=("claim", "demand", "allegation"),
        claims={
            1: ClaimCoding(("Senate",), (), "+1", "detainees"),
            2: ClaimCoding(("Senate",), ("Baku",), "0", ""),
            3: ClaimCoding((), (), "-1", ""),
            4: ClaimCoding(("Senate",), (), "+1", " detainees "),
            5: ClaimCoding(("Government",), ("Baku",), "+1", ""),
            6: ClaimCoding((), (), "-1", ""),
            7: ClaimCoding(("Senate",), (), "+1", ""),
        },
    )
    report = agreement_report(data)
    assert report.claims == 3
    assert one(report, "claims", "percent agreement", label="claimant") == pytest.approx(2 / 3)
    assert one(report, "claims", "percent agreement", label="addressee") == 1.0
    assert one(report, "claims", "percent agreement", label="position") == pytest.approx(2 / 3)
    issue = report.select("claims", label="issue")[0].agreement
    assert (issue.value, issue.n) == (1.0, 1)  # only the first claim has an issue from both
    positions = [[1.0, 0.0, -1.0], [1.0, 1.0, -1.0]]
    for level in ("ordinal", "interval"):
        expected = krippendorff_alpha(positions, level).value
        assert one(report, "claims", f"Krippendorff's alpha ({level})", label="position") == (
            expected
        )
    claimant = krippendorff_alpha(
        [["Senate", "Senate", "(none)"], ["Senate", "Government", "(none)"]]
    )
    assert one(report, "claims", "Krippendorff's alpha (nominal)", label="claimant") == (
        claimant.value
    )
    kinds = [(d.kind, d.start) for d in report.disagreements]
    assert ("claim claimant", 20) in kinds and ("claim position", 20) in kinds
    assert ("claim issue", 0) not in kinds  # "detainees" and " detainees " are the same
    assert ("only some coders", 60) in kinds and ("label", 40) in kinds


def test_matched_units_largest_overlap_first_one_span_per_coder() -> None:
    rows = spans((1, 0, 10, "actor", "A"), (2, 0, 4, "actor", "B"), (3, 5, 10, "claim", "B"))
    units = matched_units(rows)
    assert [{c: s.id for c, s in u.items()} for u in units] == [{"B": 2}, {"A": 1, "B": 3}]
    # a chain of overlaps joins one unit (A and C need not overlap each other)
    chain = spans((1, 0, 10, "x", "A"), (2, 8, 20, "x", "B"), (3, 18, 30, "x", "C"))
    assert [sorted(u) for u in matched_units(chain)] == [["A", "B", "C"]]
    # spans that only touch do not overlap
    touching = spans((1, 0, 10, "x", "A"), (2, 10, 20, "x", "B"))
    assert len(matched_units(touching)) == 2


def test_progress_is_told_and_raising_from_it_cancels() -> None:
    many = AgreementData(
        coders=("Ana", "Ben"),
        labels=("actor",),
        documents={d: (f"d{d}", 10) for d in range(1, 31)},
        coded={d: frozenset({"Ana", "Ben"}) for d in range(1, 31)},
        spans=[
            CodedSpan(2 * d + k, d, 0, 5, "actor", coder)
            for d in range(1, 31)
            for k, coder in enumerate(("Ana", "Ben"))
        ],
    )
    seen: list[tuple[int, int]] = []
    report = agreement_report(many, tick=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (30 * 6, 30 * 6)  # 30 documents, 6 passes for one pair of coders
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    # every 20 steps, then the end (no claim label: the claims pass is skipped at once)
    assert len(seen) == 30 * 5 // 20 + 1 and report.shared == tuple(range(1, 31))

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        agreement_report(many, tick=cancel)
