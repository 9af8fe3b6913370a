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


def test_bundled_text_is_commented_yaml() -> None:
    assert default_codebook_text().startswith("#")
