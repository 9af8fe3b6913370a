"""Subcommands for suggestions: ``suggest`` writes them, ``suggestions`` lists (and
accepts) them, ``train`` trains the learned source and prints how good each source is.

``annotator suggest PROJECT [--source like-before|learned|pretrained] [--document ID]``
stores suggested spans apart from the annotations; ``annotator suggestions PROJECT
[--accept-above SCORE]`` lists them, and with ``--accept-above`` makes every suggestion
scored at least SCORE an annotation by the project's coder; ``annotator train PROJECT``
trains on four fifths of the documents and measures like-before and learned on the
fifth held out (precision, recall, F1 per label, and a learning curve).
Nothing is fetched from the network by any of them.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from annotator.cli_common import Handler, open_project, say

SUGGEST_COMMANDS: tuple[str, ...] = ("suggest", "suggestions", "train")
_SOURCES = ("like-before", "learned", "pretrained")


def score_value(text: str) -> float:
    """A score from 0 to 1 (``--accept-above``)."""
    try:
        value = float(text.strip()) if len(text) < 40 else math.nan
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # nan fails too
        raise argparse.ArgumentTypeError("a score must be a number from 0 to 1")
    return value


def add_suggest_commands(sub: Any) -> dict[str, Handler]:
    """Add ``suggest``, ``suggestions`` and ``train`` to *sub*; return their handlers."""
    p = sub.add_parser(
        "suggest",
        help="suggest spans from what was annotated before (stored apart from annotations)",
        description="Suggest spans in the documents and store them as suggestions (never "
        "counted or exported until accepted). like-before finds again the exact texts "
        "annotated before and the canonical actors' names (whole words, same case but "
        "the first letter); learned trains on the project's annotations; pretrained runs "
        "an installed spaCy pipeline. Rejected suggestions never come back.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--source", choices=_SOURCES, default="like-before")
    p.add_argument(
        "--document", action="append", default=[], help="a document's id or title (repeatable)"
    )
    p.add_argument("--pipeline", help="the installed spaCy pipeline (pretrained; the first)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="TYPE=LABEL",
        help="an entity type of the pipeline and our label (default PERSON, ORG, GPE, NORP=actor)",
    )

    p = sub.add_parser(
        "suggestions",
        help="list the stored suggestions; accept those scored above a threshold",
        description="List the stored suggestions (document, start, end, label, score, "
        "source, text). With --accept-above SCORE every suggestion scored at least SCORE "
        "becomes an annotation by the project's coder.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--accept-above", type=score_value, metavar="SCORE")
    p.add_argument("--source", choices=_SOURCES)

    p = sub.add_parser(
        "train",
        help="train the learned source and print how good each source is",
        description="Train the learned source on four fifths of the documents and "
        "measure it and like-before on the fifth held out: precision, recall and F1 per "
        "label, and a learning curve. Offline, on the CPU.",
    )
    p.add_argument("project", type=Path)
    return {"suggest": _suggest, "suggestions": _suggestions, "train": _train}


def _suggest(args: argparse.Namespace) -> int:
    from annotator.store.suggestions import build_source, suggest

    with open_project(args.project) as project:
        docs = [project.find_document(d).id for d in args.document] or None
        mapping = None
        if args.map:
            from annotator.core.suggest.pretrained import parse_mapping

            mapping = parse_mapping(args.map, [label.key for label in project.labels()])
        finder = build_source(project, args.source, pipeline=args.pipeline, mapping=mapping)
        counts = suggest(project, args.source, finder, docs)
    total = sum(counts.values())
    say(f"{total} suggestion{'s' if total != 1 else ''} from {args.source} "
        f"in {len(counts)} document{'s' if len(counts) != 1 else ''}")  # fmt: skip
    return 0


def _suggestions(args: argparse.Namespace) -> int:
    from annotator.store.suggestions import Suggestions

    read_only = args.accept_above is None
    with open_project(args.project, read_only=read_only) as project:
        layer = Suggestions(project)
        rows = layer.all(args.source)
        if args.accept_above is not None:
            chosen = [x.id for x in rows if x.score >= args.accept_above]
            made, _ = layer.accept(chosen) if chosen else ([], [])
            say(f"accepted {len(made)} suggestion{'s' if len(made) != 1 else ''} "
                f"as annotations by {project.annotator}")  # fmt: skip
            return 0
        texts: dict[int, str] = {}
        for x in rows:
            text = texts.setdefault(x.document_id, project.text(x.document_id))
            say(f"{x.id:>6} doc {x.document_id} [{x.start}:{x.end}] {x.label} "
                f"{x.score:.2f} {x.source}: {text[x.start : x.end]}")  # fmt: skip
        if not rows:
            say("no suggestions (annotator suggest PROJECT makes some)")
    return 0


def _train(args: argparse.Namespace) -> int:
    from annotator.core.errors import InputError
    from annotator.core.suggest.evaluation import (
        format_scores,
        learning_curve,
        on_text,
        score,
        split,
    )
    from annotator.core.suggest.learned import span_kinds, train
    from annotator.core.suggest.like_before import like_before_for
    from annotator.store.suggestions import actor_names, examples

    with open_project(args.project, read_only=True) as project:
        data = [ex for ex in examples(project) if ex.spans]
        actors = actor_names(project)
    if not data:
        raise InputError("nothing to learn from yet: no document has annotations")
    training, held = split(data) if len(data) >= 2 else (data, data)
    loose = [k for k, v in span_kinds(data).items() if v == "sentence"]
    model = train(training)
    like = like_before_for(training, actors)
    where = (
        f"measured on {len(held)} held-out document{'s' if len(held) != 1 else ''}"
        if held is not training
        else "measured on that document itself (one annotated document: no held-out part)"
    )
    say(f"trained on {model.trained_on} spans of {len(training)} documents; {where}")
    for name, finder in (("like-before", like), ("learned", model)):
        scores = score(held, on_text(finder.find), overlap_labels=loose)
        for line in format_scores(name, scores):
            say(line)
    if len(data) >= 10:
        curve = learning_curve(data, lambda part: train(part).find, overlap_labels=loose)
        for n, s in curve:
            say(f"learning curve: {n} documents  F1 {s.f1:.2f}")
    return 0
