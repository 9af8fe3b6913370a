from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import FormatError
from annotator.core.text import decode, normalise, text_hash


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
