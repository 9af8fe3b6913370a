from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.snapping import (
    excerpt,
    next_word_end,
    prev_word_start,
    resized,
    snap,
    trim_to_words,
)

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


def test_narrowing_is_the_inverse_of_widening_and_leaves_no_comma() -> None:
    """Issue 13 item 10: Alt+Left after Alt+Right gives the span back."""
    text = "France’s Senate, the Assembly and the Council"
    start, end = 0, len("France’s Senate")
    wider = resized(text, start, end, "end", +1)
    assert text[slice(*wider)] == "France’s Senate, the"
    assert resized(text, *wider, "end", -1) == (start, end)  # no comma left inside
    assert text[slice(*resized(text, 0, len(text), "end", -1))] == (
        "France’s Senate, the Assembly and the"
    )
    start = text.index("the Assembly")
    wider = resized(text, start, len(text), "start", +1)
    assert text[slice(*wider)] == "Senate, the Assembly and the Council"
    assert resized(text, *wider, "start", -1) == (start, len(text))


def test_a_double_clicked_arabic_word_takes_no_closing_guillemet() -> None:
    text = "قال «البرلمان» اليوم"
    word = text.index("البرلمان")
    # Qt's word selection takes the mark after the word: the snap drops it
    assert text[slice(*snap(text, word, word + len("البرلمان") + 1))] == "البرلمان"
    assert text[slice(*snap(text, word - 1, word + 3))] == "البرلمان"
    quoted = snap(text, word - 1, word + len("البرلمان» "))
    assert text[slice(*quoted)] == "«البرلمان»"  # both marks: a quotation kept whole
    assert text[slice(*snap(text, word, word + 9, words=False))] == "البرلمان»"


def test_excerpts_are_cut_at_a_word_with_an_ellipsis() -> None:
    text = "The National Assembly adopted the resolution overwhelmingly on Tuesday"
    assert excerpt(text, 40) == "The National Assembly adopted the…"
    assert excerpt("short", 40) == "short"
    assert excerpt("a\nb   c", 40) == "a b c"
    long_word = "x" * 30 + "👍🏽"
    assert excerpt(long_word + " y", 32) == "x" * 30 + "…"  # the emoji is not split


def test_a_double_clicked_word_is_trimmed_to_the_word() -> None:
    text = "قال «البرلمان» اليوم"
    a = text.index("«")
    assert text[slice(*trim_to_words(text, a, a + len("«البرلمان»")))] == "البرلمان"
    assert trim_to_words(text, 3, 5) == (3, 5)  # no word inside: unchanged
