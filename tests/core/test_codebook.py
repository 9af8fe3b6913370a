from __future__ import annotations

import colorsys

import pytest

from annotator.core.codebook import default_codebook, default_codebook_text, load_codebook
from annotator.core.errors import CodebookError


def test_default_codebook_is_political_claims_with_hotkeys_1_to_4() -> None:
    cb = default_codebook()
    assert [(lab.key, lab.hotkey) for lab in cb.labels] == [
        ("claim", "1"),
        ("demand", "2"),
        ("actor", "3"),
        ("allegation", "4"),
    ]
    for label in cb.labels:
        assert len(label.description.split()) > 40, f"{label.key} needs a real guideline"
    assert {r.key for r in cb.relations} >= {"claimant", "addressee", "object", "accused"}
    assert {a.key for a in cb.attributes} >= {"position", "issue", "form"}


def _simulate_deuteranopia(hex_colour: str) -> tuple[float, float, float]:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    # Viénot et al. (1999) projection for deuteranopes, on linear-ish values
    return (0.29 * r + 0.71 * g, 0.29 * r + 0.71 * g, -0.02 * r + 0.02 * g + b)


def test_default_colours_stay_distinct_for_colour_blind_readers() -> None:
    colours = [lab.colour for lab in default_codebook().labels]
    assert len(set(colours)) == 4
    sims = [_simulate_deuteranopia(c) for c in colours]
    for i in range(4):
        for j in range(i + 1, 4):
            distance = sum((a - b) ** 2 for a, b in zip(sims[i], sims[j], strict=True)) ** 0.5
            lightness = abs(colorsys.rgb_to_hls(*sims[i])[1] - colorsys.rgb_to_hls(*sims[j])[1])
            assert distance > 0.15 or lightness > 0.15, (colours[i], colours[j])


def test_yaml_round_trip_keeps_everything() -> None:
    cb = default_codebook()
    assert load_codebook(cb.to_yaml()) == cb


GOOD = """name: Test
labels:
  - key: claim
    name: Claim
    colour: "#0072b2"
    hotkey: "1"
  - key: actor
    name: Actor
    colour: "#009e73"
"""


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace('"#009e73"', "reddish"), 9, "colour must look like"),
        (GOOD.replace("key: actor", "key: claim"), 7, "used twice"),
        (GOOD + "relations:\n  - key: r\n    from: [nobody]\n", 12, "label 'nobody'"),
        (GOOD.replace("name: Test", "name: !!python/object:os.system ls"), 1, "not allowed"),
        (GOOD + "colours: 3\n", 10, "unknown field 'colours'"),
        (GOOD.replace('hotkey: "1"', 'hotkey: "F12"'), 6, "one letter or digit"),
        ("labels: [\n", 2, "not a valid codebook"),
        ("- a\n- b\n", 1, "a codebook is a mapping"),
        (GOOD.replace('    colour: "#0072b2"\n', ""), 3, "colour must look like"),
    ],
)
def test_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(CodebookError) as info:
        load_codebook(text, "cb.yaml")
    assert info.value.line == line, str(info.value)
    assert words in str(info.value)
    assert str(info.value).startswith(f"cb.yaml, line {line}: ")


TWO_HOTKEYS = GOOD.replace(
    '    colour: "#009e73"\n', '    colour: "#009e73"\n    hotkey: SECOND\n'
).replace('hotkey: "1"', "hotkey: FIRST")


@pytest.mark.parametrize(
    ("first", "second", "line", "words"),
    [
        ("a", "A", 10, "hotkey A is the same key as a, the hotkey of 'claim'"),
        ("Q", "q", 10, "hotkey q is the same key as Q"),
        ("b", "b", 10, "hotkey b is used by 'claim' already"),
        ('"\\t"', "b", 6, "Tab cannot be a hotkey"),
        ("tab", "b", 6, "Tab cannot be a hotkey"),
        ("x", "TAB", 10, "Tab cannot be a hotkey"),
        ('" "', "b", 6, "Space cannot be a hotkey"),
        ("Space", "b", 6, "Space cannot be a hotkey"),
        ("Esc", "b", 6, "Esc cannot be a hotkey"),
        ("Escape", "b", 6, "Esc cannot be a hotkey"),
        ("Return", "b", 6, "Return cannot be a hotkey"),
        ('"\\n"', "b", 6, "Return cannot be a hotkey"),
        ("Enter", "b", 6, "Enter cannot be a hotkey"),
        ("Backspace", "b", 6, "Backspace cannot be a hotkey"),
        ("Del", "b", 6, "Del cannot be a hotkey"),
        ("F1", "b", 6, "F1 cannot be a hotkey"),
        ("F2", "b", 6, "F2 cannot be a hotkey"),
        ("Left", "b", 6, "Left cannot be a hotkey"),
        ("Ctrl+1", "b", 6, "a hotkey is one letter or digit, not 'Ctrl+1'"),
        ("Shift+a", "b", 6, "a hotkey is one letter or digit, not 'Shift+a'"),
        ("[a]", "b", 6, "'hotkey' must be text"),
    ],
)
def test_hotkeys_the_window_cannot_tell_apart_or_use_are_refused(
    first: str, second: str, line: int, words: str
) -> None:
    text = TWO_HOTKEYS.replace("FIRST", first).replace("SECOND", second)
    with pytest.raises(CodebookError) as info:
        load_codebook(text, "cb.yaml")
    assert str(info.value).startswith(f"cb.yaml, line {line}: "), str(info.value)
    assert words in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(("first", "second"), [("a", "B"), ("1", "0"), ("z", "9"), ('""', "b")])
def test_distinct_letters_and_digits_are_accepted(first: str, second: str) -> None:
    text = TWO_HOTKEYS.replace("FIRST", first).replace("SECOND", second)
    hotkeys = [label.hotkey for label in load_codebook(text).labels]
    assert hotkeys == [first.strip('"') or None, second]


def test_bundled_text_is_commented_yaml() -> None:
    assert default_codebook_text().startswith("#")
