"""Rule-based pledges: who offers, refuses, conditions or weighs which contribution to Ukraine.

A sentence is cut into clauses at contrast words ("but", "while", "mais", "aber"...). Each
contribution cue (a kind from the lexicon) gets an owner (the country whose demonym sits right
before it, else the nearest country or coalition phrase before it, else after it, else the
subject carried from the sentence before), a polarity (the nearest refusal, hesitation or offer
cue before it in its clause, or a passive refusal after it) and a condition (an explicit "if" or
a peace-deal or ceasefire timing in its clause). Topics, requests and threats block a clause.
Over the whole text: the coalition's force kinds take the ceasefire timing stated once for its
ground force, and an unconditioned coalition offer that named members also make is dropped.
Money counts only when it goes to Ukraine and someone takes a position on it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from worldtake.claims.lexicon import COALITION, KINDS, Cue, Lexicon, load_lexicon
from worldtake.claims.records import PledgeClaim
from worldtake.claims.text import Owner, Segment, find_owners, text_segments
from worldtake.enrich.entities import Mention

KIND_PRIORITY = (
    "demining",
    "air_defense",
    "logistics",
    "intelligence",
    "monitoring",
    "training",
    "bases",
    "naval",
    "air",
    "weapons",
    "funding",
    "ground_troops",
)
POLARITY_STRENGTH = {"refuse": 4, "conditional": 3, "undecided": 2, "offer": 1}
DEPLOYED_KINDS = frozenset(
    [
        "ground_troops",
        "air",
        "naval",
        "air_defense",
        "logistics",
        "monitoring",
        "training",
        "demining",
        "bases",
    ]
)
_CLAUSE_OPENERS = frozenset(["", "and", "et", "e", "und", "y", "i", "та", "і"])
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_QUOTE_MARKS = '"“«„”'
_PURCHASE = re.compile(
    r"(?:purchas\w*|buy\w*|bought|acqui\w*|achat\w*|achet\w*|acquist\w*|kauf\w*|compr\w*|"
    r"zakup\w*|закуп\w*)\s+(?:the\s+|les\s+|des\s+|di\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_SHORT_SCOPE = frozenset(
    ["possibly", "potentially", "possible", "probably", "éventuellement", "eventualmente"]
)
_SHORT_REACH = 30
_ADJACENT = re.compile(
    r"^(?:['’]s)?\s+(?:(?:army|military|armed|own|air|naval|special)\s+)?$", re.IGNORECASE
)
_MONEY = re.compile(
    r"[€$£]|euro|dollar|pound|sterlin|złot|zlot|долар|євро|гривен|dólar|dollari|kron",
    re.IGNORECASE,
)
_SENDING = re.compile(
    r"(?:send|deploy|inviare|schierare|envoyer|déployer|entsenden|schicken|enviar|desplegar|"
    r"wysłać|направити)\w*\s+$",
    re.IGNORECASE,
)
_INDUSTRY = re.compile(
    r"^\s+(?:makers?|manufacturers?|producers?|industry|industries|company|companies|firms?|"
    r"giants?|concerns?|lobby|industrie|industria|hersteller|konzern)\b",
    re.IGNORECASE,
)
_VALUE_BEFORE = re.compile(r"(?:worth|valued at|на|à hauteur de|im wert von|del valor de)\s*$")


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int


@dataclass
class _SentenceState:
    """What one sentence left for the next: its subject and its kinds (for back-references)."""

    subject: Owner | None = None
    kinds: tuple[str, ...] = ()
    condition: str | None = None
    claims: tuple[PledgeClaim, ...] = ()
    names_ukraine: bool = False


def extract_pledges(
    text: str,
    mentions: Sequence[Mention],
    languages: tuple[str, ...] | None = None,
    on_date: str | None = None,
) -> list[PledgeClaim]:
    """Every pledge stated in `text`, one per country and kind (the strongest polarity wins)."""
    lexicon = load_lexicon(languages)
    read = text.translate(_APOSTROPHES)  # same length: every span stays valid on `text`
    claims: list[PledgeClaim] = []
    state = _SentenceState()
    for segment in text_segments(read):
        previous = state
        state = _sentence_pledges(read, segment, mentions, lexicon, state)
        claims = _drop_replaced(claims, state)
        claims.extend(_drop_restated(state.claims, previous.claims))
    claims = _drop_summaries(carry_deployment_condition(claims, lexicon))
    return merge_claims([replace(c, quote=text[c.start : c.end]) for c in claims])


def carry_deployment_condition(claims: list[PledgeClaim], lexicon: Lexicon) -> list[PledgeClaim]:
    """The coalition's force deploys on the ceasefire or peace-deal timing its text gives once:
    its other force kinds in the same text take that timing ("...or in the air")."""
    timing = next(
        (
            c.condition
            for c in claims
            if c.kind == "ground_troops"
            and c.polarity == "conditional"
            and c.condition
            and any(p.search(c.condition) for label, p in lexicon.conditions if label == "timing")
        ),
        None,
    )
    if timing is None:
        return claims
    return [
        replace(c, polarity="conditional", condition=timing)
        if c.country == COALITION and c.kind in DEPLOYED_KINDS and c.polarity == "offer"
        else c
        for c in claims
    ]


def _drop_summaries(claims: list[PledgeClaim]) -> list[PledgeClaim]:
    """An unconditioned coalition offer of a kind that named countries offer in the same text
    sums up those members ("the coalition... such as France and Britain")."""
    named = {(c.kind, c.polarity) for c in claims if c.country != COALITION}
    return [
        c
        for c in claims
        if not (c.country == COALITION and c.polarity == "offer" and (c.kind, "offer") in named)
    ]


def _drop_restated(
    claims: tuple[PledgeClaim, ...], previous: tuple[PledgeClaim, ...]
) -> list[PledgeClaim]:
    """A coalition phrase ("European troops") right after named members' pledge of the same
    kind means those members, not the unnamed coalition."""
    named = {
        c.kind for c in (*previous, *claims) if c.country != COALITION and c.polarity != "refuse"
    }
    return [c for c in claims if not (c.country == COALITION and c.kind in named)]


def merge_claims(claims: Sequence[PledgeClaim]) -> list[PledgeClaim]:
    """One claim per (country, kind): the strongest polarity, its condition and first amount."""
    best: dict[tuple[str, str], PledgeClaim] = {}
    for claim in claims:
        key = (claim.country, claim.kind)
        held = best.get(key)
        if held is None or POLARITY_STRENGTH[claim.polarity] > POLARITY_STRENGTH[held.polarity]:
            amount = claim.amount or (held.amount if held else None)
            best[key] = replace(claim, amount=amount)
        elif held.amount is None and claim.amount:
            best[key] = replace(held, amount=claim.amount)
    return sorted(best.values(), key=lambda c: (c.start, c.country, KINDS.index(c.kind)))


def _drop_replaced(claims: list[PledgeClaim], state: _SentenceState) -> list[PledgeClaim]:
    """Members named after a coalition-wide pledge replace it ("...include France, Britain")."""
    kinds = {
        c.kind
        for c in state.claims
        if c.replaces_coalition and c.country != COALITION and c.polarity != "refuse"
    }
    if not kinds:
        return claims
    return [c for c in claims if not (c.country == COALITION and c.kind in kinds)]


def _sentence_pledges(
    text: str,
    segment: Segment,
    mentions: Sequence[Mention],
    lexicon: Lexicon,
    previous: _SentenceState,
) -> _SentenceState:
    sentence = text[segment.start : segment.end]
    conditions = _resolve(lexicon.find(lexicon.conditions, sentence), _length_order)
    owners = [
        o
        for o in find_owners(sentence, segment.start, mentions, lexicon)
        if not _inside_any(o.start, o.end, conditions)
    ]
    clauses = _clauses(sentence, lexicon, owners)
    kinds = _kind_cues(sentence, lexicon, conditions)
    polarity = [
        c
        for c in _resolve(lexicon.find(lexicon.polarity, sentence), _polarity_order)
        if not _inside_any(c.start, c.end, conditions)
    ]
    after = list(lexicon.refuse_after.finditer(sentence))
    names_ukraine = _names_ukraine(sentence, owners, lexicon)
    subject = _sentence_subject(owners)
    carried = _carried_subject(sentence, owners, previous, lexicon)
    claims: list[PledgeClaim] = []
    kept: list[str] = []
    for cue in kinds:
        clause = _clause_of(clauses, cue.start)
        if _is_blocked(clause, polarity) or _is_own_use(cue, clause, sentence, lexicon):
            continue
        if _is_for_adversary(clause, owners):
            continue
        kept.append(cue.label)
        owner = _owner_of(cue, owners, sentence, clause, subject, carried)
        if owner is None:
            continue
        pole = _polarity_of(cue, clause, polarity, after, sentence)
        if cue.label == "funding" and not _is_funding_pledge(
            cue, clause, sentence, polarity, after, lexicon, names_ukraine or previous.names_ukraine
        ):
            continue
        condition = _condition_of(cue, clause, conditions)
        if pole == "offer" and condition is not None:
            pole = "conditional"
        amount = _amount_of(cue, clause, sentence, lexicon)
        claims.extend(
            PledgeClaim(
                key,
                cue.label,
                pole,
                condition if pole == "conditional" else None,
                amount,
                sentence,
                segment.start,
                segment.end,
            )
            for key in owner.keys
        )
    claims += _back_references(
        sentence, segment, owners, clauses, polarity, kinds, previous, lexicon
    )
    kinds_here = tuple(dict.fromkeys(kept))
    institutional = bool(lexicon.institution_sources.search(sentence))
    return _SentenceState(
        subject=None if institutional else _next_subject(owners, previous),
        kinds=kinds_here,
        condition=conditions[0].text
        if conditions
        else (None if kinds_here else previous.condition),
        claims=tuple(claims),
        names_ukraine=names_ukraine,
    )


def _carried_subject(
    sentence: str, owners: list[Owner], previous: _SentenceState, lexicon: Lexicon
) -> Owner | None:
    """The subject of the sentence before, for a sentence with no actor of its own; a
    quotation takes it only when it speaks for the speaker's side ("we", "our")."""
    if any(not o.location for o in owners):
        return None
    if sentence.lstrip()[:1] in _QUOTE_MARKS and not lexicon.first_person.search(sentence):
        return None
    return previous.subject


def _next_subject(owners: list[Owner], previous: _SentenceState) -> Owner | None:
    """What the next sentence may carry: this sentence's first actor, when it can pledge."""
    first = _sentence_subject(owners)
    if first is not None:
        return first if first.pledger else None
    return previous.subject if not owners else None


def _names_ukraine(sentence: str, owners: list[Owner], lexicon: Lexicon) -> bool:
    if any(not o.pledger and "UA" in o.keys for o in owners):
        return True
    return bool(lexicon.beneficiary.search(sentence))


def _is_funding_pledge(
    cue: Cue,
    clause: _Clause,
    sentence: str,
    polarity: list[Cue],
    after: list[re.Match[str]],
    lexicon: Lexicon,
    for_ukraine: bool,
) -> bool:
    """Money is a pledge when it goes to Ukraine (named here or in the sentence before) and
    someone takes a position on it: a pledge, refusal or hesitation cue, or a sum."""
    if not for_ukraine:
        return False
    if _MONEY.search(cue.text) or _amount_of(cue, clause, sentence, lexicon):
        return True
    if any(m.start() >= cue.end and m.start() < clause.end for m in after):
        return True
    return any(
        p.label != "block" and clause.start <= p.start and p.end <= cue.start for p in polarity
    )


def _kind_cues(sentence: str, lexicon: Lexicon, conditions: list[Cue]) -> list[Cue]:
    found = lexicon.find(lexicon.kinds, sentence)
    found += [
        Cue("weapons", m.start(), m.end(), m.group()) for m in lexicon.handover.finditer(sentence)
    ]
    cues = []
    for cue in _resolve(found, _kind_order):
        if _inside_any(cue.start, cue.end, conditions):
            continue
        head = sentence[max(0, cue.start - 60) : cue.start]
        if lexicon.object_context.search(head) and not (
            cue.label == "weapons" and _PURCHASE.search(head)  # buying arms for Ukraine
        ):
            continue
        if cue.label == "funding" and _VALUE_BEFORE.search(head):
            continue
        if _INDUSTRY.match(sentence[cue.end : cue.end + 30]):
            continue  # "arms maker", "defence industry": a business, not a contribution
        cues.append(cue)
    return cues


def _owner_of(
    cue: Cue,
    owners: list[Owner],
    sentence: str,
    clause: _Clause,
    subject: Owner | None,
    carried: Owner | None,
) -> Owner | None:
    """Who gives what `cue` names: a country inside it ("deploy coalition forces"), the
    adjacent demonym, the nearest country before, after, or the carried subject. A seller
    ("purchases American weapons") gives nothing."""
    inside = [o for o in owners if o.start < cue.end and cue.start < o.end and o.pledger]
    named = [o for o in owners if clause.start <= o.start < cue.start and _names_members(o)]
    if inside and not inside[0].location and (COALITION not in inside[0].keys or not named):
        return inside[0]
    owners = [o for o in owners if not _PURCHASE.search(sentence[max(0, o.start - 40) : o.start])]
    before = [o for o in owners if o.end <= cue.start]
    if before and _ADJACENT.match(sentence[before[-1].end : cue.start]):
        adjacent = before[-1]
        return adjacent if adjacent.pledger else None
    after = [o for o in owners if o.start >= cue.end and o.start < clause.end]
    if after and after[0].start - cue.end <= 1 and _is_postposed(sentence, after[0]):
        return after[0] if after[0].pledger else None  # "soldati italiani", "truppe russe"
    in_clause = [o for o in before if o.start >= clause.start]
    for owner in reversed(in_clause):
        if owner.pledger and not owner.location:
            return owner
    if before and subject is not None and subject.pledger:
        return subject  # "Italy ruled out troops but offered...": the sentence's subject
    if subject is not None and not subject.pledger:
        return None
    for owner in after:
        if owner.pledger and not owner.location:
            return owner
    return carried


def _polarity_of(
    cue: Cue, clause: _Clause, polarity: list[Cue], after: list[re.Match[str]], sentence: str
) -> str:
    """A refusal or hesitation earlier in the clause governs what follows ("has not decided
    whether it would..."); adverbs ("possibly") reach only the next few words."""
    in_clause = [p for p in polarity if clause.start <= p.start and p.end <= cue.start]
    for p in reversed(in_clause):
        if p.label in ("block", "offer"):
            continue
        if p.text.lower() in _SHORT_SCOPE and cue.start - p.end > _SHORT_REACH:
            continue
        return p.label
    for match in after:
        if cue.end <= match.start() < clause.end:
            return "refuse"
    return "offer"


def _condition_of(cue: Cue, clause: _Clause, conditions: list[Cue]) -> str | None:
    for condition in conditions:
        if not (clause.start <= condition.start < clause.end):
            continue
        if cue.label == "monitoring" and condition.label == "timing":
            continue  # ceasefire monitoring comes after a ceasefire by its nature
        return condition.text.strip(" ,;")
    return None


def _amount_of(cue: Cue, clause: _Clause, sentence: str, lexicon: Lexicon) -> str | None:
    best: tuple[int, str] | None = None
    for match in lexicon.amounts.finditer(sentence, clause.start, clause.end):
        money = bool(_MONEY.search(match.group()))
        valued = bool(_VALUE_BEFORE.search(sentence[: match.start()]))
        if (cue.label == "funding") != money and not (money and valued):
            continue
        distance = min(abs(match.start() - cue.end), abs(cue.start - match.end()))
        if distance <= 80 and (best is None or distance < best[0]):
            best = (distance, match.group().strip())
    return best[1] if best else None


def _is_blocked(clause: _Clause, polarity: list[Cue]) -> bool:
    return any(p.label == "block" and clause.start <= p.start < clause.end for p in polarity)


def _is_for_adversary(clause: _Clause, owners: list[Owner]) -> bool:
    """A clause naming Russia (or Belarus) and not Ukraine is about help to them, not to Kyiv."""
    named = {key for o in owners if clause.start <= o.start < clause.end for key in o.keys}
    return bool(named & {"RU", "BY"}) and "UA" not in named


def _is_own_use(cue: Cue, clause: _Clause, sentence: str, lexicon: Lexicon) -> bool:
    """A kind spent on oneself ("its own border", "le proprie fregate") is not for Ukraine."""
    start = max(clause.start, cue.start - 20)
    for marker in lexicon.own_markers.finditer(sentence, start, clause.end):
        if cue.start <= marker.start() < cue.end:
            continue
        if not _SENDING.search(sentence[max(0, marker.start() - 20) : marker.start()]):
            return True
    return False


def _back_references(
    sentence: str,
    segment: Segment,
    owners: list[Owner],
    clauses: list[_Clause],
    polarity: list[Cue],
    kinds: list[Cue],
    previous: _SentenceState,
    lexicon: Lexicon,
) -> list[PledgeClaim]:
    """A clause with a country, a position and "the idea" / "this step" takes earlier kinds."""
    claims: list[PledgeClaim] = []
    earlier_kinds = previous.kinds
    earlier_condition = previous.condition
    for clause in clauses:
        here = [k for k in kinds if clause.start <= k.start < clause.end]
        if here:
            earlier_kinds = tuple(dict.fromkeys(k.label for k in here))
            earlier_condition = None
            continue
        anaphora = lexicon.anaphora.search(sentence, clause.start, clause.end)
        owner = next(
            (
                o
                for o in owners
                if clause.start <= o.start < clause.end and o.pledger and not o.location
            ),
            None,
        )
        if anaphora is None or owner is None or not earlier_kinds:
            continue
        cues = [p for p in polarity if clause.start <= p.start < clause.end and p.label != "block"]
        if not cues:
            continue  # "Regarding US participation": a topic, no position
        pole = cues[-1].label
        if pole == "offer" and earlier_condition:
            pole = "conditional"
        for kind in earlier_kinds:
            for key in owner.keys:
                claims.append(
                    PledgeClaim(
                        key,
                        kind,
                        pole,
                        earlier_condition if pole == "conditional" else None,
                        None,
                        sentence,
                        segment.start,
                        segment.end,
                        replaces_coalition=True,
                    )
                )
    return claims


def _sentence_subject(owners: list[Owner]) -> Owner | None:
    return next((o for o in owners if not o.location), None)


def _names_members(owner: Owner) -> bool:
    return owner.pledger and not owner.location and COALITION not in owner.keys


def _is_postposed(sentence: str, owner: Owner) -> bool:
    """A lower-case demonym after its noun ("soldati italiani"); not "training Ukrainian forces"."""
    return not owner.location and sentence[owner.start : owner.start + 1].islower()


def _clauses(sentence: str, lexicon: Lexicon, owners: Sequence[Owner] = ()) -> list[_Clause]:
    """Cut at contrast words, except before a condition ("..., but only if..."), and at a
    comma that opens a clause with its own subject ("..., Italy has ruled out...")."""
    cuts = []
    for match in lexicon.contrast.finditer(sentence):
        rest = sentence[match.end() : match.end() + 80]
        if any(p.match(rest.lstrip()) for _, p in lexicon.conditions):
            continue
        cuts.append(match.start())
    for owner in owners:
        comma = sentence.rfind(",", 0, owner.start)
        gap = sentence[comma + 1 : owner.start] if comma >= 0 else ""
        if comma < 0 or gap.strip().lower() not in _CLAUSE_OPENERS or owner.location:
            continue
        if lexicon.clause_subject.match(sentence[owner.end : owner.end + 30]):
            cuts.append(comma)
    cuts = sorted(set(cuts))
    bounds = [0, *cuts, len(sentence)]
    return [_Clause(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _clause_of(clauses: list[_Clause], position: int) -> _Clause:
    for clause in clauses:
        if clause.start <= position < clause.end:
            return clause
    return clauses[-1]


def _inside_any(start: int, end: int, spans: Sequence[Cue]) -> bool:
    return any(s.start <= start and end <= s.end for s in spans)


def _resolve(cues: list[Cue], order: Callable[[Cue], tuple[int, ...]]) -> list[Cue]:
    """Keep the best of overlapping cues (by `order`), then return them in text order."""
    kept: list[Cue] = []
    for cue in sorted(cues, key=order):
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _length_order(cue: Cue) -> tuple[int, int]:
    return (-(cue.end - cue.start), cue.start)


def _kind_order(cue: Cue) -> tuple[int, int, int]:
    return (-(cue.end - cue.start), KIND_PRIORITY.index(cue.label), cue.start)


_POLARITY_ORDER = ("undecided", "refuse", "block", "offer")


def _polarity_order(cue: Cue) -> tuple[int, int, int]:
    return (-(cue.end - cue.start), _POLARITY_ORDER.index(cue.label), cue.start)
