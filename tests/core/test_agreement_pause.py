"""The report pauses the cyclic garbage collector while it runs, and always restores it."""

from __future__ import annotations

import gc

import pytest

from annotator.core.agreement.pause import collector_paused
from annotator.core.agreement.report import agreement_report
from annotator.core.agreement.units import AgreementData, CodedSpan


def data() -> AgreementData:
    return AgreementData(
        coders=("Ana", "Ben"),
        labels=("claim",),
        documents={1: ("Senate", 40)},
        coded={1: frozenset({"Ana", "Ben"})},
        spans=[CodedSpan(1, 1, 0, 4, "claim", "Ana"), CodedSpan(2, 1, 0, 5, "claim", "Ben")],
    )


def test_paused_inside_and_restored_after_even_when_raising() -> None:
    assert gc.isenabled()
    seen = []

    def tick(done: int, total: int) -> None:
        seen.append(gc.isenabled())
        raise KeyboardInterrupt  # a window cancels by raising from tick

    with pytest.raises(KeyboardInterrupt):
        agreement_report(data(), tick=tick)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        agreement_report(data())
        assert not gc.isenabled()
    finally:
        gc.enable()
