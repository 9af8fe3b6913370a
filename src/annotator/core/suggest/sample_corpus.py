"""A generated corpus of short news texts with actor and claim spans, for the tests and
benchmarks of the suggestion sources (seeded: the same corpus every time).

Each text has a few sentences; some report an actor's claim ("Minister Anna Keller said
that taxes must fall."), the others are filler. Actors are people (title, first and last
name) and organisations; the names of the held-out part can be drawn from a pool of
their own, so a source is measured on names it never saw.
"""

from __future__ import annotations

import random

from annotator.core.suggest import Example

_FIRST = [
    "Anna",
    "Marek",
    "Lena",
    "Tomas",
    "Sofia",
    "Pavel",
    "Ines",
    "Jonas",
    "Mira",
    "Karim",
    "Elena",
    "Victor",
    "Nadia",
    "Oskar",
    "Lucia",
    "Samir",
    "Greta",
    "Milan",
    "Olga",
    "Felix",
    "Hana",
    "Rafael",
    "Irina",
    "Emil",
    "Zora",
    "Anton",
    "Leila",
    "Bruno",
    "Vera",
    "Nikolai",
    "Alma",
    "Dario",
    "Petra",
    "Hugo",
    "Selma",
    "Ivan",
    "Clara",
    "Yusuf",
    "Edith",
    "Marco",
]
_LAST = [
    "Keller",
    "Novak",
    "Dubois",
    "Petrov",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Kowalski",
    "Brandt",
    "Silva",
    "Rossi",
    "Yilmaz",
    "Horvat",
    "Jensen",
    "Costa",
    "Weber",
    "Laurent",
    "Nowak",
    "Fischer",
    "Marin",
    "Berg",
    "Sokolov",
    "Varga",
    "Bauer",
    "Meyer",
    "Ortega",
    "Popescu",
    "Schmidt",
    "Tanaka",
    "Almeida",
    "Kruger",
    "Ivanova",
    "Fontaine",
    "Richter",
    "Navarro",
    "Hofer",
    "Stein",
    "Duarte",
    "Janssen",
    "Volkov",
]
_TITLES = ("Minister", "Senator", "President", "Mayor", "Chancellor", "Commissioner")
_ORGS_A = ("National", "European", "Federal", "Regional", "Central", "United")
_ORGS_B = ("Farmers", "Workers", "Teachers", "Doctors", "Pilots", "Students", "Miners")
_ORGS_C = ("Union", "Council", "Association", "Alliance", "League", "Federation")
_VERBS = ("said", "argued", "insisted", "warned", "stated", "declared")
_CLAIMS = (
    "taxes must fall next year",
    "the border should stay open",
    "the reform has failed the poor",
    "wages have to rise faster",
    "the government ignored the floods",
    "schools need more money",
    "the new law violates the constitution",
    "pensions must be protected",
    "the election was not fair",
    "public transport should be free",
)
_FILLER = (
    "The meeting took place on Tuesday in the capital.",
    "Several hundred people attended the event.",
    "The weather was cold and wet all week.",
    "Talks are expected to resume next month.",
    "The report runs to more than two hundred pages.",
    "Markets closed slightly higher in the afternoon.",
    "A vote is scheduled for the end of the session.",
    "Observers noted a calm atmosphere in the city.",
)


def _person(rng: random.Random, firsts: list[str], lasts: list[str]) -> str:
    name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
    return f"{rng.choice(_TITLES)} {name}" if rng.random() < 0.5 else name


def _org(rng: random.Random, bs: list[str]) -> str:
    return f"the {rng.choice(_ORGS_A)} {rng.choice(bs)} {rng.choice(_ORGS_C)}"


def generate(n: int = 200, *, seed: int = 17, unseen_from: int | None = None) -> list[Example]:
    """*n* texts; from index *unseen_from* on, the actors' names come from a pool the
    earlier texts never use (people and organisations)."""
    rng = random.Random(seed)
    half_f, half_l = len(_FIRST) // 2, len(_LAST) // 2
    org_half = len(_ORGS_B) // 2 + 1
    out: list[Example] = []
    for k in range(n):
        unseen = unseen_from is not None and k >= unseen_from
        firsts = _FIRST[half_f:] if unseen else _FIRST[:half_f]
        lasts = _LAST[half_l:] if unseen else _LAST[:half_l]
        orgs = list(_ORGS_B[org_half:] if unseen else _ORGS_B[:org_half])
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        pos = 0
        for _ in range(rng.randint(3, 5)):
            if parts:
                parts.append(" ")
                pos += 1
            if rng.random() < 0.6:
                actor = _person(rng, firsts, lasts) if rng.random() < 0.6 else _org(rng, orgs)
                claim = rng.choice(_CLAIMS)
                verb = rng.choice(_VERBS)
                a_text = actor[4:] if actor.startswith("the ") else actor
                form = rng.random()
                if form < 0.6:  # Actor said that claim.
                    lead = actor[0].upper() + actor[1:]
                    sentence = f"{lead} {verb} that {claim}."
                    a_start = pos + len(lead) - len(a_text)
                    c_start = pos + len(lead) + len(verb) + len(" that ") + 1
                elif form < 0.8:  # According to actor, claim.
                    sentence = f"According to {actor}, {claim}."
                    a_start = pos + len("According to ") + len(actor) - len(a_text)
                    c_start = pos + len("According to ") + len(actor) + 2
                else:  # Claim, actor said.
                    lead = claim[0].upper() + claim[1:]
                    sentence = f"{lead}, {actor} {verb}."
                    claim = lead
                    a_start = pos + len(lead) + 2 + len(actor) - len(a_text)
                    c_start = pos
                spans.append((a_start, a_start + len(a_text), "actor"))
                spans.append((c_start, c_start + len(claim), "claim"))
            else:
                sentence = rng.choice(_FILLER)
            parts.append(sentence)
            pos += len(sentence)
        text = "".join(parts)
        for s, e, label in spans:
            assert 0 <= s < e <= len(text), (s, e, label)
        out.append(Example(k + 1, text, tuple(sorted(spans))))
    return out
