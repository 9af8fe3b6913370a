from __future__ import annotations

import codecs
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, check_text, decode, normalise, text_hash


def test_normalise_turns_every_line_break_into_newline_and_drops_bom() -> None:
    assert normalise("\ufeffa\r\nb\rc\u2028d\u2029e\nf") == "a\nb\nc\nd\ne\nf"


def test_normalise_changes_nothing_else() -> None:
    text = "e\u0301 \u00a0 tab\there  double  space \u200d 👍🏽 Հայ عربى"
    assert normalise(text) == text


@given(st.text())
def test_normalise_is_idempotent_and_leaves_no_carriage_return(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once or once.startswith("\ufeff")
    assert "\r" not in once and "\u2028" not in once and "\u2029" not in once


@given(st.text(alphabet=st.characters(blacklist_characters="\r\u2028\u2029\ufeff")))
def test_text_without_breaks_to_change_is_kept_exactly(text: str) -> None:
    assert normalise(text) == text


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode("Հայ\n".encode()) == ("Հայ\n", "utf-8")
    assert decode(codecs.BOM_UTF8 + "Հայ".encode())[0] == "Հայ"


def test_decode_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + "عربى 👍🏽".encode("utf-16-le")
    assert decode(data) == ("عربى 👍🏽", "utf-16-le")


def test_decode_detects_windows_1252() -> None:
    text = "“Déjà vu” — the café’s naïve façade, 3 × 4 … ok. " * 4
    decoded, encoding = decode(text.encode("cp1252"))
    assert decoded == text
    assert encoding.replace("_", "").lower() in ("cp1252", "windows1252")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Привет, как дела? Это тест кодировки для новостей. " * 4, "cp1251"),
        ("Zażółć gęślą jaźń, własny głos w Sejmie i Senacie. " * 4, "cp1250"),
        ("Ein schöner Tag in München, über Straßen und Gärten. " * 4, "cp1252"),
    ],
)
def test_decode_tells_legacy_code_pages_apart(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding))[0] == text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_decode_refuses_empty_and_binary(data: bytes, words: str) -> None:
    with pytest.raises(FormatError, match=words):
        decode(data, "x.txt")


def test_hash_is_sha256_of_utf8() -> None:
    assert text_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# -- UTF-8 with a few bad bytes, guessed encodings (issue 10, item 8) ----------------

FRENCH = "Le Sénat a adopté la résolution; les députés ont voté à l'unanimité. "


def test_utf8_with_one_stray_byte_stays_utf8_and_says_where() -> None:
    # charset-normalizer read this as iso8859_10: "Le SÃĐnat", with no word.
    data = FRENCH.encode() + b"\xff" + FRENCH.encode()
    warnings: list[str] = []
    text, encoding = decode(data, "senat.txt", warnings)
    assert encoding == "utf-8"
    assert text == FRENCH + "\ufffd" + FRENCH
    assert warnings == [
        f"senat.txt: 1 byte is not valid UTF-8 (at byte {len(FRENCH.encode())}); "
        "read as UTF-8 with U+FFFD in its place"
    ]


def test_utf8_with_few_accents_and_a_stray_byte_is_not_guessed_as_a_code_page() -> None:
    warnings: list[str] = []
    text, encoding = decode(
        "Le Sénat\x85 dit non.".encode().replace(b"\xc2\x85", b"\x85"), "s.txt", warnings
    )
    assert (text, encoding) == ("Le Sénat\ufffd dit non.", "utf-8")
    assert warnings == [
        "s.txt: 1 byte is not valid UTF-8 (at byte 9); read as UTF-8 with U+FFFD in its place"
    ]


def test_many_stray_bytes_are_counted_and_the_first_five_named() -> None:
    chunk = ("é" * 30).encode() + b"\xfe"  # 61 bytes
    warnings: list[str] = []
    text, _ = decode(chunk * 8, "many.txt", warnings)
    assert text == ("é" * 30 + "\ufffd") * 8
    assert warnings == [
        "many.txt: 8 bytes are not valid UTF-8 (the first at bytes 60, 121, 182, 243, 304); "
        "read as UTF-8 with U+FFFD in their place"
    ]


def test_a_stray_byte_in_ascii_text_that_no_code_page_explains_is_replaced() -> None:
    # 0x81 and 0x8d mean nothing in windows-1252; the detector said "mac_iceland".
    data = b"Plain news text, quite long indeed. " * 6 + b"\x81\x8d end"
    warnings: list[str] = []
    text, encoding = decode(data, "a.txt", warnings)
    assert encoding == "utf-8" and text.endswith("\ufffd\ufffd end")
    assert warnings == [
        "a.txt: 2 bytes are not valid UTF-8 (at bytes 216, 217); "
        "read as UTF-8 with U+FFFD in their place"
    ]


@pytest.mark.parametrize(
    ("text", "encoding", "label"),
    [
        ("“Déjà vu” — the café’s naïve façade, 3 × 4 … ok. " * 4, "cp1252", "windows-1252"),
        ("Привет, как дела? Это тест кодировки для новостей. " * 4, "cp1251", "windows-1251"),
        ("Привет, как дела? Это тест кодировки для новостей. " * 4, "koi8_r", "koi8-r"),
        ("Zażółć gęślą jaźń, własny głos w Sejmie i Senacie. " * 4, "cp1250", "windows-1250"),
        ("Η Βουλή ενέκρινε το ψήφισμα για την Αρμενία σήμερα. " * 4, "cp1253", "windows-1253"),
    ],
)
def test_a_guessed_encoding_is_named_in_a_warning(text: str, encoding: str, label: str) -> None:
    warnings: list[str] = []
    assert decode(text.encode(encoding), "old.txt", warnings)[0] == text
    assert warnings == [f"old.txt: read as {label} (guessed; it is not UTF-8)"]


def test_utf8_gives_no_warning() -> None:
    warnings: list[str] = []
    decode(FRENCH.encode(), "ok.txt", warnings)
    assert warnings == []


def test_a_guess_without_confidence_is_refused() -> None:
    # Ten Cyrillic letters: the detector's best guess (cp1125) had no coherence at all,
    # and read "Привет мир" as other letters.
    with pytest.raises(FormatError) as caught:
        decode("Привет мир".encode("cp1251"), "short.txt")
    assert str(caught.value) == (
        "short.txt: the text encoding could not be recognised; save it as UTF-8 and import it again"
    )


# -- one rule for text that is refused (issue 10, item 12) ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tab\tnewline\nform feed\f and a few stray controls \x1b \x07 kept",
        "C1 controls are kept: \x85\x9f",
        "a\x1bb" + "text " * 100,
    ],
)
def test_check_text_keeps_prose(text: str) -> None:
    check_text(text, "ok")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a NUL\x00 character", "it contains NUL characters"),
        ("\x01\x02\x03 three controls in a short text", "it contains 3 control characters"),
        ("x" * 1000 + "\x7f" * 6, "it contains 6 control characters"),
    ],
)
def test_check_text_refuses_binary(text: str, why: str) -> None:
    with pytest.raises(FormatError) as caught:
        check_text(text, "the text of 'T'")
    assert str(caught.value) == f"the text of 'T' looks like a binary file, not text ({why})"


def test_decode_applies_the_same_rule_after_a_bom() -> None:
    data = codecs.BOM_UTF16_LE + "text with a NUL\x00 in it".encode("utf-16-le")
    with pytest.raises(FormatError, match=r"w\.txt looks like a binary file, not text"):
        decode(data, "w.txt")


# -- the budget of one file ------------------------------------------------------------


def test_budget_counts_text_and_stops_past_the_limit() -> None:
    budget = TextBudget("big.odt", limit=10)
    assert budget.take("12345") == "12345"
    budget.add(5)
    with pytest.raises(FormatError) as caught:
        budget.add(1)
    assert str(caught.value) == (
        "big.odt gives more than 10 characters of text (a document built to explode?); "
        "Annotator imports texts up to 10 characters"
    )


def test_budget_default_limit_is_200_mb_of_text() -> None:
    budget = TextBudget("x.pdf")
    budget.add(200 * 2**20)
    with pytest.raises(FormatError, match=r"more than 200 MB of text"):
        budget.add(1)


def test_budget_stops_past_its_time() -> None:
    budget = TextBudget("slow.pdf", seconds=0.05)
    budget.tick()
    time.sleep(0.1)
    with pytest.raises(FormatError) as caught:
        budget.tick()
    assert str(caught.value) == (
        "slow.pdf takes more than 0.05 s to read (a document built to stall the reader?); "
        "Annotator stopped reading it"
    )
