"""*Like before*: the exact texts already annotated with a label, found again.

What it finds (INCEpTION's string matcher, stated):

- every text annotated with a label anywhere in the project, and the name and every
  mention text of each canonical actor (for the ``actor`` label), is a *phrase*;
- a phrase is found where it occurs as whole words: the characters before and after the
  match are not letters, digits or ``_``;
- case: a phrase matches with exactly its own case, except that its first letter may
  differ in case (``The Senate`` at a sentence start, ``the Senate`` inside one); no
  other folding (no accents removed, no Unicode normalisation: offsets stay exact);
- nested and overlapping phrases are all suggested (``France`` inside
  ``France's Senate``); a span already annotated with the same label is not suggested;
- the score is the share of the phrase's annotations that carry this label (a text
  annotated 3 times as actor and once as claim scores 0.75 for actor); actor names 1.0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from annotator.core.suggest import Example, Suggestion
from annotator.core.suggest.tokens import is_word_char

SOURCE = "like-before"


def _variants(phrase: str) -> set[str]:
    first = phrase[0]
    return {phrase, first.lower() + phrase[1:], first.upper() + phrase[1:]}


class LikeBefore:
    """Built once from the project's annotations; :meth:`find` runs per document."""

    def __init__(
        self,
        examples: Iterable[Example],
        actor_names: Iterable[str] = (),
        actor_label: str = "actor",
    ) -> None:
        uses: dict[str, Counter[str]] = defaultdict(Counter)
        for example in examples:
            for start, end, label in example.spans:
                phrase = example.text[start:end].strip()
                if phrase and phrase == example.text[start:end]:
                    uses[phrase][label] += 1
        scores: dict[tuple[str, str], float] = {}
        for phrase, labels in uses.items():
            total = sum(labels.values())
            for label, n in labels.items():
                scores[phrase, label] = n / total
        for name in actor_names:
            name = name.strip()
            if name:
                scores[name, actor_label] = 1.0
        # the variants of each phrase by their first character, for a scan word by word
        self._by_first: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
        for (phrase, label), score in scores.items():
            for variant in _variants(phrase):
                self._by_first[variant[0]].append((variant, label, score))
        self.phrases = len(scores)

    def find(self, text: str, skip: Iterable[tuple[int, int, str]] = ()) -> list[Suggestion]:
        """Every occurrence in *text* of a known phrase, as whole words; spans in *skip*
        (already annotated, or rejected) are left out."""
        skipped = set(skip)
        found: dict[tuple[int, int, str], float] = {}
        by_first = self._by_first
        n = len(text)
        for i, ch in enumerate(text):
            candidates = by_first.get(ch)
            if candidates is None or (i and is_word_char(text[i - 1]) and is_word_char(ch)):
                continue
            for phrase, label, score in candidates:
                end = i + len(phrase)
                if end > n or not text.startswith(phrase, i):
                    continue
                if end < n and is_word_char(text[end]) and is_word_char(phrase[-1]):
                    continue
                key = (i, end, label)
                if key not in skipped and found.get(key, -1.0) < score:
                    found[key] = score
        return [
            Suggestion(s, e, label, round(score, 4), SOURCE)
            for (s, e, label), score in sorted(found.items())
        ]


def like_before_for(
    examples: Iterable[Example], actors: Mapping[str, Iterable[str]] = {}
) -> LikeBefore:
    """A :class:`LikeBefore` from *examples* and canonical *actors* (name -> aliases)."""
    names: list[str] = []
    for name, aliases in actors.items():
        names.append(name)
        names.extend(aliases)
    return LikeBefore(examples, names)
