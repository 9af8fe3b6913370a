"""What every window test shares: no answer to a modal dialog outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gui.helpers import stop_waiting


@pytest.fixture(autouse=True)
def _no_answer_outlives_its_test() -> Iterator[None]:
    yield
    stop_waiting()
