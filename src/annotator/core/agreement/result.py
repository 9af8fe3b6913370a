"""The result of one agreement measure: a value, or the reason there is none."""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from annotator.core.errors import InputError

Label = Hashable
"""A category (label) given by a coder: any hashable value; ``None`` means "missing"."""


@dataclass(frozen=True, slots=True)
class Agreement:
    """One figure: ``value`` with the ``n`` it is computed on, or ``why`` it is undefined.

    ``value`` is ``None`` exactly when the measure is undefined for the data (then
    ``why`` says why, in words a report can print: "no unit coded by both", "only one
    category", "units of zero length only"). An undefined measure is never 1.0 and
    never 0.0.

    ``n`` is the number of things the measure was computed on and ``counted`` names
    them ("items", "pairable values", "units", "characters", "spans").

    ``observed`` and ``expected`` are the two halves of a chance-corrected measure when
    it has them: observed and expected *agreement* (A_o, A_e) for percent agreement,
    kappa, pi and S; observed and expected *disagreement* (D_o, D_e) for the alphas.
    """

    measure: str
    value: float | None
    n: int
    counted: str
    why: str | None = None
    observed: float | None = None
    expected: float | None = None

    @property
    def defined(self) -> bool:
        """True when the measure has a value."""
        return self.value is not None

    def __str__(self) -> str:
        size = f"n = {self.n} {self.counted}"
        if self.value is None:
            return f"{self.measure}: undefined, {self.why} ({size})"
        return f"{self.measure} = {self.value:.3f} ({size})"


def undefined(measure: str, why: str, n: int, counted: str) -> Agreement:
    """An :class:`Agreement` without a value, saying why."""
    return Agreement(measure, None, n, counted, why)


def is_missing(value: object) -> bool:
    """``None`` and float NaN stand for "this coder gave no value for this unit"."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def check_label(value: object, where: str) -> None:
    """Refuse a label that cannot be counted (it must be hashable)."""
    try:
        hash(value)
    except TypeError:
        raise InputError(
            f"{where}: a label must be a plain value such as a string or a number, "
            f"not a {type(value).__name__}"
        ) from None


def whole_number(value: object, what: str) -> int:
    """``value`` as an ``int`` (NumPy integers too); a float, bool or string is refused."""
    if type(value) is int:  # the common case, without the slower ABC check
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{what} must be a whole number, not {value!r}")
    return int(value)


def as_list(values: Iterable[object], what: str) -> list[object]:
    """A list of ``values``; anything that is not a collection is refused."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InputError(f"{what} must be a list of values, not {type(values).__name__}")
    return list(values)
