from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.core.search import (
    MAX_QUERY,
    _expanding,
    compile_query,
    covered,
    find_spans,
    hit_at,
    kwic,
)
from annotator.core.snapping import cluster_end, cluster_start

# letters that fold to more than one code point, Turkish dotted/dotless i, combining
# marks, emoji with skin tone and ZWJ, a flag, Armenian (with the ligature և), Arabic
PIECES = [
    "a", "b", "s", "S", "ss", "SS", "ß", "ẞ", "i", "I", "İ", "ı", "e", "é", "e\u0301",
    "Ա", "ա", "և", "ե", "ւ", "ب", "ت", "ﬁ", "fi", "👍", "👍🏽", "👩‍👩‍👧", "🇫🇷", " ", "\n",
    ".", "’", "_", "1",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
modes = st.sampled_from(["plain", "word", "regex"])


def _check_hits(text: str, hits: list, context: int) -> None:
    last_end = 0
    for h in hits:
        assert h.match == text[h.start : h.end]
        assert h.start < h.end
        assert h.start >= last_end, "hits are sorted and do not overlap"
        last_end = h.end
        assert text[h.start - len(h.left) : h.start] == h.left
        assert text[h.end : h.end + len(h.right)] == h.right
        assert len(h.left) <= context and len(h.right) <= context
        for edge in (h.start, h.end, h.start - len(h.left), h.end + len(h.right)):
            assert cluster_start(text, edge) == edge == cluster_end(text, edge)


@settings(max_examples=50, deadline=None)
@given(text=texts, query=texts, mode=modes, case=st.booleans(), context=st.integers(0, 8))
def test_every_hit_is_exact_text_and_never_splits_a_character(
    text: str, query: str, mode: str, case: bool, context: int
) -> None:
    if mode == "regex":
        query = re.escape(query)
    _check_hits(text, kwic(text, query, mode=mode, case_sensitive=case, context=context), context)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), text=texts, mode=modes, case=st.booleans())
def test_a_piece_of_the_text_is_found_where_it_stands(
    data: st.DataObject, text: str, mode: str, case: bool
) -> None:
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    start, end = cluster_start(text, start), cluster_end(text, end)
    query = text[start:end]
    hits = kwic(
        text, re.escape(query) if mode == "regex" else query, mode=mode, case_sensitive=case
    )
    _check_hits(text, hits, 60)
    if mode == "plain" and case:
        assert any(h.start <= start < h.end or start <= h.start < end for h in hits)


@settings(max_examples=50, deadline=None)
@given(
    text=st.text(alphabet="ab .", max_size=40),
    query=st.text(alphabet="ab", min_size=1, max_size=3),
)
def test_plain_and_word_mode_agree_with_re_on_ascii(text: str, query: str) -> None:
    plain = [(h.start, h.end) for h in kwic(text, query, case_sensitive=True)]
    assert plain == [m.span() for m in re.finditer(re.escape(query), text)]
    word = [(h.start, h.end) for h in kwic(text, query, mode="word", case_sensitive=True)]
    expected = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(query)}(?!\w)", text)]
    assert word == expected


@settings(max_examples=50, deadline=None)
@given(text=texts, query=texts)
def test_case_insensitive_hits_fold_to_the_query(text: str, query: str) -> None:
    for h in kwic(text, query):
        simple = re.fullmatch(re.escape(query), h.match, re.IGNORECASE) is not None
        assert simple or h.match.casefold() == query.casefold()


@settings(max_examples=50, deadline=None)
@given(
    hits=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 10))),
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 10))),
)
def test_covered_matches_a_plain_check(
    hits: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> None:
    hits = [(s, s + n) for s, n in hits]
    spans = [(s, s + n) for s, n in spans]
    expected = [any(a <= s and e <= b for a, b in spans) for s, e in hits]
    assert covered(hits, spans) == expected


# -- examples --------------------------------------------------------------------


def spans(text: str, query: str, **kw: object) -> list[str]:
    return [h.match for h in kwic(text, query, **kw)]  # type: ignore[arg-type]


def test_sharp_s_and_dotted_capital_i_keep_exact_offsets() -> None:
    text = "STRASSE, Straße und straße; İstanbul, ISTANBUL, ıstanbul — ﬁnal FINAL"
    for q in ("strasse", "STRASSE", "straße", "Straße"):
        hits = kwic(text, q)
        assert [h.match for h in hits] == ["STRASSE", "Straße", "straße"]
        assert all(text[h.start : h.end] == h.match for h in hits)
    assert spans(text, "istanbul") == ["İstanbul", "ISTANBUL", "ıstanbul"]
    assert spans(text, "final") == ["ﬁnal", "FINAL"]
    # a hit must not end inside the folding of one character: "fi" of "ﬁ" is one char
    assert spans(text, "f") == ["F"]
    assert spans(text, "Straße", case_sensitive=True) == ["Straße"]
    # after the ß the offsets of the text stay right
    after = kwic(text, "ISTANBUL", case_sensitive=True)[0]
    assert after.start == text.index("ISTANBUL")


def test_armenian_whole_words_and_the_ech_yiwn_ligature() -> None:
    text = "Հայաստանի Ազգային ժողովը, Հայաստան և Ֆրանսիա; ՀԱՅԱՍՏԱՆ"
    assert spans(text, "Հայաստան", mode="word") == ["Հայաստան", "ՀԱՅԱՍՏԱՆ"]
    assert spans(text, "Հայաստան") == ["Հայաստան", "Հայաստան", "ՀԱՅԱՍՏԱՆ"]
    assert spans(text, "հայաստան", mode="word", case_sensitive=True) == []
    # և folds to եւ: searching the two letters finds the ligature, exactly
    hit = kwic(text, "եւ", mode="word")[0]
    assert (hit.match, hit.start) == ("և", text.index("և"))


def test_arabic_whole_words_and_context() -> None:
    text = "قال البرلمان الفرنسي إن فرنسا تدعم البرلمانات"
    hits = kwic(text, "البرلمان", mode="word", context=4)
    assert [(h.start, h.match) for h in hits] == [(4, "البرلمان")]
    assert hits[0].left == "قال " and hits[0].right == " الف"
    assert len(kwic(text, "البرلمان")) == 2


def test_accented_latin_and_combining_marks() -> None:
    text = "Résumé, resume, re\u0301sume\u0301, café"
    assert spans(text, "résumé") == ["Résumé"]  # é composed is not e + U+0301
    assert spans(text, "resume", mode="word") == ["resume"]
    # "e" of a decomposed é is not a hit: it would split the character
    decomposed = text.index("re\u0301")
    assert all(not (decomposed <= h.start < decomposed + 8) for h in kwic(text, "e"))
    # regex mode widens a match to whole characters instead
    assert spans(text, r"re\u0301sume", mode="regex") == ["re\u0301sume\u0301"]


def test_emoji_are_whole_characters() -> None:
    text = "good 👍🏽 and 👍 and 👩‍👩‍👧 here 🇫🇷🇦🇲"
    assert spans(text, "👍") == ["👍"]
    assert spans(text, "👍🏽") == ["👍🏽"]
    assert spans(text, "👍", mode="regex") == ["👍🏽", "👍"]
    assert spans(text, "🇦🇲") == ["🇦🇲"]
    assert spans(text, "🇷🇦") == []  # across two flags
    assert spans(text, "👩") == []  # part of a family
    hit = kwic(text, "and", context=2)[0]
    assert hit.left == " "  # never the skin tone alone


def test_word_mode_after_an_emoji_modifier() -> None:
    text = "👍🏽word words"
    assert spans(text, "word", mode="word") == ["word"]


def test_regex_mode_multiline_and_empty_matches() -> None:
    text = "first line\nsecond line\n"
    assert spans(text, r"^\w+", mode="regex") == ["first", "second"]
    assert spans(text, r"x*", mode="regex") == []
    assert spans(text, r"LINE$", mode="regex") == ["line", "line"]
    assert spans(text, r"LINE$", mode="regex", case_sensitive=True) == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "(claim",
            "not a valid regular expression: missing ), unterminated subpattern at position 1",
        ),
        ("[a-", "not a valid regular expression: unterminated character set at position 1"),
        (
            "a{3,1}",
            "not a valid regular expression: min repeat greater than max repeat at position 3",
        ),
        ("*x", "not a valid regular expression: nothing to repeat at position 1"),
    ],
)
def test_regex_errors_are_input_errors_with_a_readable_message(pattern: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        kwic("text", pattern, mode="regex")
    assert str(info.value) == message
    assert "\n" not in str(info.value)
    # the same text is fine as plain text
    assert spans(f"a {pattern} b", pattern, mode="plain") == [pattern]


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="unknown search mode 'fuzzy'"):
        compile_query("x", mode="fuzzy")
    with pytest.raises(InputError, match="too long"):
        compile_query("x" * (MAX_QUERY + 1))
    with pytest.raises(InputError, match="negative"):
        kwic("x", "x", context=-1)
    assert kwic("text", "") == []


def test_hits_are_capped() -> None:
    text = "ab " * 1000
    assert len(kwic(text, "ab", limit=50)) == 50
    assert len(list(find_spans(text, compile_query("ab"), limit=0))) == 0
    assert len(kwic(text, "ab")) == 1000


def test_a_compiled_query_can_be_reused() -> None:
    query = compile_query("Armenia", mode="word")
    assert spans("Armenia, Armenian, ARMENIA", query) == ["Armenia", "ARMENIA"]  # type: ignore[arg-type]
    assert spans("Armenia’s", query) == ["Armenia"]  # type: ignore[arg-type]


def test_context_at_the_edges() -> None:
    text = "e\u0301tude of claims"
    hit = hit_at(text, text.index("of"), text.index("of") + 2, context=6)
    assert hit.left == "tude "  # not the combining mark alone
    assert hit.right == " claim"
    assert hit_at(text, 0, 2, 0).left == ""


def test_the_table_of_expanding_characters_is_complete() -> None:
    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    expected = {ch for ch in every if len(ch.casefold()) > 1}
    assert set(_expanding().findall("".join(every))) == expected
