"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method
that returns nothing, until the interpreter aborts (none_dealloc). pyproject pins
PySide6 below 6.12 for Python < 3.12; this test fails if a bad build comes back."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot


def test_void_methods_keep_the_refcount_of_none(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    calls = 5000
    before = sys.getrefcount(None)
    for i in range(calls):
        edit.setReadOnly(i % 2 == 0)
        edit.setToolTip("x")
    after = sys.getrefcount(None)
    assert after > before - calls // 10, (
        f"None lost {before - after} references in {2 * calls} calls"
    )
