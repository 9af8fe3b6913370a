from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap
from tests.conftest import MIXED_TEXT

SCRIPTS = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aé\u0301 \n\u00a0Հայعربىשלום\u200d")),
        st.sampled_from(["👍", "🏽", "🇫", "🇷", "𠀋", "😀"]),
        st.characters(),
    )
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@given(SCRIPTS)
def test_every_code_point_position_maps_to_its_utf16_position_and_back(text: str) -> None:
    m = OffsetMap(text)
    assert m.length == len(text) and m.length_utf16 == utf16_len(text)
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert u == utf16_len(text[:i])
        assert m.to_codepoint(u) == i


@given(SCRIPTS)
def test_positions_inside_a_surrogate_pair_snap_to_the_character(text: str) -> None:
    m = OffsetMap(text)
    for i, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            inside = m.to_utf16(i) + 1
            assert m.to_codepoint(inside) == i
            assert m.to_codepoint(inside, round_up=True) == i + 1


def test_text_without_astral_characters_is_the_identity() -> None:
    m = OffsetMap("Հայաստան عربى e\u0301")
    assert m.is_identity
    assert [m.to_utf16(i) for i in range(5)] == list(range(5))


def test_mixed_text_slices_agree_between_units() -> None:
    text = MIXED_TEXT
    m = OffsetMap(text)
    units = text.encode("utf-16-le", "surrogatepass")
    for start in range(0, len(text), 3):
        for end in range(start, len(text) + 1, 5):
            a, b = m.to_utf16(start), m.to_utf16(end)
            assert units[2 * a : 2 * b].decode("utf-16-le", "surrogatepass") == text[start:end]
