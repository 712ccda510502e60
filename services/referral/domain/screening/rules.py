"""The machinery of statutory screening: facts in, a screening with reasons out.

Nothing here knows a particular edition of the guidance. A :class:`RulePack` bundles one
edition's rules as data (grounds, a recommendation table, notes), each rule carrying the
seed and section it comes from; :mod:`.wt2015` is the first pack and the package's
``__init__`` holds the registry. A later edition (Working Together 2018 or 2023, the
Welsh guidance) is a new pack of rows and small predicates, not a change to this module.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from shared.errors import DomainError

from .facts import Facts


class UnknownRulePack(DomainError):
    status = 422

    def __init__(self, pack: str, known: Iterable[str]):
        super().__init__(
            f"There is no rule pack called {pack!r}; known packs: {', '.join(sorted(known))}.",
            field="rule_pack",
        )


# -- Rules and their output --------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why the screening concluded something: a stable code, a plain sentence, its source."""

    code: str
    text: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class Findings:
    """What earlier stages of a screening concluded, for the predicates of later stages."""

    scr_grounds: tuple[str, ...] = ()
    notifiable_grounds: tuple[str, ...] = ()
    recommended: str | None = None


Predicate = Callable[[Facts, Findings], bool]


@dataclass(frozen=True)
class Rule:
    """A ground that holds when ``applies`` is true; ``text`` and ``source`` explain it."""

    ground: str
    applies: Predicate
    text: str
    source: str


@dataclass(frozen=True)
class Note:
    """A notable non-conclusion or caveat worth telling the user, e.g. why no SCR is required."""

    code: str
    applies: Predicate
    text: str
    source: str


@dataclass(frozen=True)
class MethodRow:
    """One row of a pack's table of SCR methods (001 §5.3-5.4): first matching row wins."""

    row: str
    method: str  # "intensive" or "targeted"
    applies: Predicate
    text: str
    source: str


@dataclass(frozen=True)
class CrossBorder:
    """What a pack says when the child normally lives in another area, or other areas are involved.

    ``home`` and ``others`` are sentences with ``{home}`` and ``{others}`` where the names go.
    """

    home: str
    home_source: str
    others: str
    others_source: str


ANY = None  # in a RecommendationRow, a condition left as ANY matches every value


@dataclass(frozen=True)
class RecommendationRow:
    """One row of a recommendation table: conditions on derived facts -> a kind of review.

    Conditions are tuples of accepted values (``ANY`` matches everything):
    ``scr_required`` and ``notifiable`` (booleans), ``outcome`` (see :attr:`Facts.outcome`),
    ``abuse_or_neglect`` and ``interagency_concern`` (the fact values).
    """

    row: str
    recommended: str
    text: str
    source: str
    scr_required: tuple[bool, ...] | None = ANY
    notifiable: tuple[bool, ...] | None = ANY
    outcome: tuple[str, ...] | None = ANY
    abuse_or_neglect: tuple[str, ...] | None = ANY
    interagency_concern: tuple[str, ...] | None = ANY

    def matches(self, facts: Facts, found: Findings) -> bool:
        actual = {
            "scr_required": bool(found.scr_grounds),
            "notifiable": bool(found.notifiable_grounds),
            "outcome": facts.outcome,
            "abuse_or_neglect": facts.abuse_or_neglect,
            "interagency_concern": facts.interagency_concern,
        }
        return all(
            accepted is ANY or actual[name] in accepted
            for name, accepted in (
                ("scr_required", self.scr_required),
                ("notifiable", self.notifiable),
                ("outcome", self.outcome),
                ("abuse_or_neglect", self.abuse_or_neglect),
                ("interagency_concern", self.interagency_concern),
            )
        )


@dataclass(frozen=True)
class Screening:
    notifiable: bool
    notifiable_grounds: tuple[str, ...]
    scr_required: bool
    scr_grounds: tuple[str, ...]
    recommended: str
    options: tuple[str, ...]
    rule_pack: str
    reasons: tuple[Reason, ...]
    # The SCR method the screening suggests, should the Chair commission an SCR; None where the
    # pack has no SCR (001 §5.3-5.4).
    suggested_method: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "notifiable": self.notifiable,
            "notifiable_grounds": list(self.notifiable_grounds),
            "scr_required": self.scr_required,
            "scr_grounds": list(self.scr_grounds),
            "recommended": self.recommended,
            "options": list(self.options),
            "rule_pack": self.rule_pack,
            "suggested_method": self.suggested_method,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class RulePack:
    """One edition of the screening rules, as data.

    Evaluation order: SCR grounds first (a notifiable ground may depend on them), then
    notifiable grounds, then the first matching recommendation row, then the notes.
    ``review_kinds`` is every outcome the decision may record, in the order options are listed
    after the recommended one. ``methods`` suggest an SCR method (empty: the pack has no SCR);
    ``rapid_review`` says whether the safeguarding partners' rapid review comes before the
    decision; ``serious_case_ground`` names the notifiable ground that calls for it.
    """

    id: str
    title: str
    scr_rules: tuple[Rule, ...]
    notifiable_rules: tuple[Rule, ...]
    recommendations: tuple[RecommendationRow, ...]
    review_kinds: tuple[str, ...]
    notes: tuple[Note, ...] = field(default=())
    methods: tuple[MethodRow, ...] = field(default=())
    cross_border: CrossBorder | None = None
    rapid_review: bool = False
    serious_case_ground: str | None = None

    def __post_init__(self) -> None:
        for row in self.recommendations:
            if row.recommended not in self.review_kinds:
                raise ValueError(f"row {row.row!r} recommends unknown kind {row.recommended!r}")

    def evaluate(self, facts: Facts) -> Screening:
        scr_reasons: list[Reason] = []
        notifiable_reasons: list[Reason] = []

        scr = self._grounds(self.scr_rules, facts, Findings(), "scr", scr_reasons)
        notifiable = self._grounds(
            self.notifiable_rules,
            facts,
            Findings(scr_grounds=scr),
            "notifiable",
            notifiable_reasons,
        )
        found = Findings(scr_grounds=scr, notifiable_grounds=notifiable)

        row = next((r for r in self.recommendations if r.matches(facts, found)), None)
        if row is None:  # a pack's table must end with a catch-all row
            raise LookupError(f"rule pack {self.id!r} has no recommendation for {facts!r}")
        found = Findings(scr_grounds=scr, notifiable_grounds=notifiable, recommended=row.recommended)

        # Reasons read in the order a business manager asks: notifiable? SCR? what review?
        reasons = [
            *notifiable_reasons,
            *scr_reasons,
            Reason(f"recommended.{row.row}", row.text, row.source),
            *(Reason(n.code, n.text, n.source) for n in self.notes if n.applies(facts, found)),
        ]
        method = next((m for m in self.methods if m.applies(facts, found)), None)
        if method is not None:
            reasons.append(Reason(f"method.{method.row}", method.text, method.source))
        options = (row.recommended,) + tuple(k for k in self.review_kinds if k != row.recommended)
        return Screening(
            notifiable=bool(notifiable),
            notifiable_grounds=notifiable,
            scr_required=bool(scr),
            scr_grounds=scr,
            recommended=row.recommended,
            options=options,
            rule_pack=self.id,
            reasons=tuple(reasons),
            suggested_method=method.method if method else None,
        )

    def cross_border_reasons(self, home_board: str | None, other_boards: Iterable[str]) -> list[Reason]:
        """What the pack says about another area's part in the case: the home area decides."""
        others = [b for b in other_boards if b]
        if self.cross_border is None:
            return []
        out = []
        if home_board:
            text = self.cross_border.home.format(home=home_board)
            out.append(Reason("cross_border.home_board", text, self.cross_border.home_source))
        if others:
            text = self.cross_border.others.format(others=", ".join(others))
            out.append(Reason("cross_border.other_boards", text, self.cross_border.others_source))
        return out

    def is_serious_case(self, notifiable_grounds: Iterable[str]) -> bool:
        """Whether the screening found the case that calls for the partners' rapid review."""
        return self.serious_case_ground is not None and self.serious_case_ground in notifiable_grounds

    @staticmethod
    def _grounds(
        rules: tuple[Rule, ...], facts: Facts, found: Findings, prefix: str, reasons: list[Reason]
    ) -> tuple[str, ...]:
        grounds: list[str] = []
        for rule in rules:
            if rule.applies(facts, found):
                grounds.append(rule.ground)
                reasons.append(Reason(f"{prefix}.{rule.ground}", rule.text, rule.source))
        return tuple(grounds)
