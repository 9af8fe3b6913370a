from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.snapping import next_word_end, prev_word_start, snap

TEXT = "The Senate  adopted a résolution; Հայաստան 👍🏽 supports 👩‍👩‍👧 it 🇫🇷🇦🇲 now."


def test_partial_words_are_taken_whole_and_whitespace_trimmed() -> None:
    start = TEXT.index("enate") + 1
    s, e = snap(TEXT, start, start + 8)
    assert TEXT[s:e] == "Senate  adopted"


def test_snapping_can_be_turned_off_but_whitespace_is_still_trimmed() -> None:
    start = TEXT.index(" Senate")
    s, e = snap(TEXT, start, start + 5, words=False)
    assert TEXT[s:e] == "Sena"


def test_only_whitespace_gives_an_empty_span() -> None:
    i = TEXT.index("  ")
    s, e = snap(TEXT, i, i + 2)
    assert s == e


def test_skin_tone_zwj_sequences_and_flags_are_never_split() -> None:
    thumb = TEXT.index("👍")
    assert TEXT[slice(*snap(TEXT, thumb, thumb + 1, words=False))] == "👍🏽"
    family = TEXT.index("👩")
    assert TEXT[slice(*snap(TEXT, family + 2, family + 3, words=False))] == "👩‍👩‍👧"
    flags = TEXT.index("🇫")
    assert TEXT[slice(*snap(TEXT, flags + 1, flags + 3, words=False))] == "🇫🇷🇦🇲"


def test_combining_marks_stay_with_their_letter() -> None:
    text = "cafe\u0301 ok"
    assert text[slice(*snap(text, 0, 4, words=False))] == "cafe\u0301"


@given(st.text(), st.integers(0, 60), st.integers(0, 60), st.booleans())
def test_snap_is_in_range_ordered_and_never_ends_on_whitespace(
    text: str, a: int, b: int, words: bool
) -> None:
    s, e = snap(text, a, b, words=words)
    assert 0 <= s <= e <= len(text)
    if s < e:
        assert not text[s].isspace() and not text[e - 1].isspace()


def test_word_steps() -> None:
    text = "one two  three"
    assert text[: next_word_end(text, 3)] == "one two"
    assert text[prev_word_start(text, 9) :] == "two  three"
