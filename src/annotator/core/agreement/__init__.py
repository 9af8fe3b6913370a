"""Intercoder agreement, as pure functions over labels and spans (no Qt, no SQL).

Scripts and the ``annotator agree`` command call these; :mod:`annotator.store` reads
the rows, the window only shows the figures. Every measure returns an
:class:`Agreement` (``value``, ``n``, ``counted``, and ``why`` when it is undefined):
an undefined measure is reported with its reason, never as 1.0 and never as an error.
Input that cannot be measured at all (lists of different lengths, a unit outside its
continuum, an unknown level) raises :class:`~annotator.core.errors.InputError` with a
one-line message.

Coding measures (labels given to the same units):
:func:`percent_agreement`, :func:`cohen_kappa`, :func:`scott_pi`, :func:`bennett_s`
(two coders), :func:`fleiss_kappa` (items x categories counts; :func:`fleiss_table`),
:func:`krippendorff_alpha` (coders x units, missing values, four levels).

Unitizing: :func:`unitized_alpha` (Krippendorff's alpha_U, overall and per category;
:func:`join_continua` for a corpus). Spans: :func:`span_f1` (exact or overlap
matching), :func:`character_agreement` and :func:`character_agreement_by_label`
(NVivo's coding comparison: per-character percent agreement and kappa).

Formulas, references and the published numbers they reproduce: docs/agreement.md.

>>> from annotator.core.agreement import cohen_kappa
>>> print(cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]))
Cohen's kappa = 0.500 (n = 4 items)
>>> print(cohen_kappa(["a", "a"], ["a", "a"]))
Cohen's kappa: undefined, only one category (n = 2 items)
"""

from __future__ import annotations

from annotator.core.agreement.coding import (
    LEVELS,
    bennett_s,
    cohen_kappa,
    coincidences,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from annotator.core.agreement.result import Agreement
from annotator.core.agreement.spans import (
    CharacterAgreement,
    SpanF1,
    character_agreement,
    character_agreement_by_label,
    span_f1,
)
from annotator.core.agreement.unitizing import UnitizedAlpha, join_continua, unitized_alpha

__all__ = [
    "LEVELS",
    "Agreement",
    "CharacterAgreement",
    "SpanF1",
    "UnitizedAlpha",
    "bennett_s",
    "character_agreement",
    "character_agreement_by_label",
    "cohen_kappa",
    "coincidences",
    "fleiss_kappa",
    "fleiss_table",
    "join_continua",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
    "span_f1",
    "unitized_alpha",
]
