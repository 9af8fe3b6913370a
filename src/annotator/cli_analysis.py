"""Subcommands for claim structure and analysis.

``relate`` links two annotations, ``set`` sets attributes, ``actor`` links a mention to
a canonical actor, ``actors`` lists them, ``merge-actors`` merges two, and ``stats``
prints the numbers of a project. ``add_analysis_commands`` adds their parsers to the
``annotator`` parser and returns their handlers; :mod:`annotator.cli` wires them in.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from annotator.cli_common import Handler, emit, open_project, print_table, say
from annotator.core.analysis import ROLE_NAMES, Stats
from annotator.core.errors import InputError
from annotator.store.queries.analysis_queries import actor_mention_counts, project_stats
from annotator.store.structure import ACTOR_TYPES

ANALYSIS_COMMANDS: tuple[str, ...] = ("relate", "set", "actor", "actors", "merge-actors", "stats")


def parse_attributes(items: list[str]) -> dict[str, str]:
    """``["position=+1", "issue=detainees"]`` -> ``{"position": "+1", ...}``."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--attribute takes KEY=VALUE, not '{item}'")
        out[key.strip()] = value
    return out


def add_analysis_commands(sub: Any) -> dict[str, Handler]:
    """Add the analysis subcommands to *sub* (argparse subparsers); return their handlers."""
    p = sub.add_parser(
        "relate",
        help="link two annotations (e.g. an actor as claimant of a claim)",
        description="Link annotation FROM_ID to TO_ID with a relation type of the codebook "
        "(political claims: claimant goes actor -> claim; addressee, object and accused go "
        "claim -> actor). Prints the relation's id.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("from_id", type=int, metavar="FROM_ID")
    p.add_argument("to_id", type=int, metavar="TO_ID")
    p.add_argument("--type", required=True, metavar="TYPE", help="relation type key")

    p = sub.add_parser(
        "set",
        help="set attributes of an annotation",
        description="Set attributes of an annotation (e.g. position=+1, issue=detainees). "
        "KEY= with nothing after it removes the attribute. Prints the annotation's attributes.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("annotation_id", type=int, metavar="ANNOTATION_ID")
    p.add_argument(
        "--attribute",
        action="append",
        required=True,
        metavar="KEY=VALUE",
        help="an attribute to set; repeatable",
    )

    p = sub.add_parser(
        "actor",
        help="link an actor mention to a canonical actor",
        description="Link an actor mention to the canonical actor NAME, creating the actor "
        "when it is new. Prints the actor's id.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("annotation_id", type=int, metavar="ANNOTATION_ID")
    p.add_argument("--name", required=True, help="the actor's canonical name")
    p.add_argument("--type", metavar="TYPE", help=f"one of {', '.join(ACTOR_TYPES)}")

    p = sub.add_parser(
        "actors",
        help="list the canonical actors and their mention counts",
        description="List the canonical actors: id, name, type and number of mentions.",
    )
    p.add_argument("project", type=Path)

    p = sub.add_parser(
        "merge-actors",
        help="merge two canonical actors",
        description="Move every mention of actor GONE_ID to KEEP_ID and delete GONE_ID.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("keep_id", type=int, metavar="KEEP_ID")
    p.add_argument("gone_id", type=int, metavar="GONE_ID")

    p = sub.add_parser(
        "stats",
        help="counts per label and document, top actors",
        description="Annotations per label and document, the actors making the most claims "
        "and with the most mentions, and the claims each actor takes part in.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true", help="print the same numbers as JSON")
    p.add_argument(
        "--top", type=int, default=10, metavar="N", help="actors to list (default 10; 0: all)"
    )
    return {
        "relate": _relate,
        "set": _set,
        "actor": _actor,
        "actors": _actors,
        "merge-actors": _merge_actors,
        "stats": _stats,
    }


def _relate(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        relation = project.relate(args.from_id, args.to_id, args.type)
        say(relation.id)
    return 0


def _set(args: argparse.Namespace) -> int:
    values: dict[str, str | None] = {
        k: (v if v.strip() else None) for k, v in parse_attributes(args.attribute).items()
    }
    with open_project(args.project) as project:
        for key, value in project.set_attributes(args.annotation_id, values).items():
            say(f"{key}={value}")
    return 0


def _actor(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        say(project.link_actor(args.annotation_id, args.name, args.type).id)
    return 0


def _actors(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        rows = [[str(i), name, kind, str(n)] for i, name, kind, n in actor_mention_counts(project)]
        if not rows:
            say(f"({project.path.name} has no actors yet: annotator actor PROJECT ID --name NAME)")
            return 0
        print_table(["id", "name", "type", "mentions"], rows, left={1, 2})
    return 0


def _merge_actors(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        gone, moved = project.merge_actors(args.keep_id, args.gone_id)
        keep = next(a for a in project.actors() if a.id == args.keep_id)
        say(
            f"merged '{gone.name}' ({gone.id}) into '{keep.name}' ({keep.id}): "
            f"{len(moved)} mention(s) moved"
        )
    return 0


def _stats(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise InputError("--top takes 0 (all) or more")
    with open_project(args.project, read_only=True) as project:
        stats = project_stats(project).top(args.top)
    if args.json:
        emit(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_stats(stats)
    return 0


def print_stats(stats: Stats) -> None:
    say(
        f"{stats.annotations} annotations, {stats.claims} claims, "
        f"{stats.relations} relations, {stats.actors} actors"
    )
    say()
    say("Annotations per document and label")
    header = ["id", "document", *stats.labels, "total"]
    titles = dict(stats.documents)
    rows = [
        [str(d), titles[d], *(str(c[k]) for k in stats.labels), str(sum(c.values()))]
        for d, c in stats.per_document.items()
    ]
    rows.append(
        ["", "all", *(str(stats.per_label[k]) for k in stats.labels), str(stats.annotations)]
    )
    print_table(header, rows, left={1})
    for title, ranked, unit in (
        ("Actors by claims made (as claimant)", stats.claims_by_actor, "claims"),
        ("Actors by mentions", stats.mentions_by_actor, "mentions"),
    ):
        say()
        say(title)
        if ranked:
            print_table(["actor", unit], [[a, str(n)] for a, n in ranked], left={0})
        else:
            say("(none)")
    say()
    say("Claims each actor takes part in, by label and by role")
    if stats.actor_label:
        labels, roles = stats.claim_labels, ROLE_NAMES
        print_table(
            ["actor", *labels, *roles],
            [
                [
                    actor,
                    *(str(stats.actor_label[actor][k]) for k in labels),
                    *(str(stats.actor_roles[actor][r]) for r in roles),
                ]
                for actor in stats.actor_label
            ],
            left={0},
        )
    else:
        say("(none)")
