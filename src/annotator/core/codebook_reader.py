"""Reading a codebook's YAML (``yaml.safe_load`` semantics, with bounds and lines).

Apart from :mod:`annotator.core.codebook` so that PyYAML is imported when a codebook
is read, not by every command that opens a project (0.01 s of each start).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from annotator.core.codebook import MAX_DEPTH, MAX_MERGED, _LineDict
from annotator.core.errors import CodebookError


def parse_yaml(text: str, source: str | None) -> Any:
    """The YAML document in *text*, its mappings :class:`_LineDict`; a problem is a
    :class:`CodebookError` naming the line."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except CodebookError as exc:
        raise CodebookError(exc.message, exc.line, source) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = exc.problem or "not valid YAML"
        if "could not determine a constructor" in str(exc):
            problem = (
                f"tags such as {exc.problem.split()[-1] if exc.problem else ''} are not allowed"
            )
        raise CodebookError(f"not a valid codebook: {problem}", line, source) from None
    except yaml.reader.ReaderError as exc:
        raise CodebookError(
            f"not valid YAML: character #x{exc.character:04x} is not allowed (position "
            f"{exc.position})"
            if isinstance(exc.character, int)
            else "not valid YAML: the text cannot be read",
            None,
            source,
        ) from None
    except yaml.YAMLError as exc:
        raise CodebookError(
            f"not valid YAML ({' '.join(str(exc).split())})", None, source
        ) from None
    except RecursionError:
        raise CodebookError("the codebook is nested too deeply", None, source) from None
    return data


class _Loader(yaml.SafeLoader):
    """``safe_load`` with bounds: nesting depth and merge-key (``<<``) expansion.

    Aliases are constructed as shared references (cheap); what would expand them
    (merge keys, messages, ``str()``) is bounded or refused, so "billion laughs"
    codebooks fail fast instead of exhausting memory.
    """

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise CodebookError("the codebook is nested too deeply", self.get_mark().line + 1)
        super().fetch_flow_collection_start(TokenClass)  # type: ignore[misc]

    def add_indent(self, column: int) -> bool:
        if len(self.indents) >= MAX_DEPTH:
            raise CodebookError("the codebook is nested too deeply", self.get_mark().line + 1)
        return bool(super().add_indent(column))  # type: ignore[misc]

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        super().flatten_mapping(node)
        if len(node.value) > MAX_MERGED:
            raise CodebookError("merge keys (<<) expand too far", node.start_mark.line + 1)


def _kind(value: Any) -> str:
    """A short name for a value's type (never its repr: it may be an alias bomb)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'" if isinstance(value, int | float | bool) else "a " + type(value).__name__


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise CodebookError(
                f"keys must be text, not {_kind(key)}", key_node.start_mark.line + 1
            )
        if key in out:
            raise CodebookError(f"'{key}' is given twice", key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = value_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    """Text; a ``"\\ud800"`` escape (half of a UTF-16 pair, not text: SQLite cannot
    store it) is refused with its line. Astral characters are written ``\\U0001F600``."""
    value = str(loader.construct_scalar(node))
    if _LONE_SURROGATE.search(value):
        raise CodebookError(
            "the text holds a surrogate escape such as \\ud800, which is not text "
            "(write characters beyond \\uffff as \\U0001F600)",
            node.start_mark.line + 1,
        )
    return value


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    """A whole number; one of more than 4,300 digits (Python's limit) is refused."""
    try:
        return int(loader.construct_yaml_int(node))
    except ValueError:
        raise CodebookError("the number is too long", node.start_mark.line + 1) from None


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
