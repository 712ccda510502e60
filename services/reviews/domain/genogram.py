"""Where each family member goes on a genogram (002 §2: the threshold meeting's genogram).

Generations come from the ``parent_of`` relations (a parent one row above each child; partners on
the same row); within a row, partners stand side by side and children under the middle of their
parents. The drawing itself is the adapter's (:mod:`services.reviews.adapters.genogram_svg`).
Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.reviews.domain.family import FORMER_PARTNER_OF, PARENT_OF, PARTNER_OF, Family, FamilyMember

SPACING = 150  # between the centres of two people on a row
ROW = 150  # between two generations
MARGIN = 80


@dataclass(frozen=True)
class Placed:
    member: FamilyMember
    x: float
    y: float
    generation: int


@dataclass(frozen=True)
class Couple:
    left: Placed
    right: Placed
    former: bool


@dataclass(frozen=True)
class Sibship:
    """Children drawn from their parents: from a couple's line, or from a single parent."""

    parents: tuple[Placed, ...]
    children: tuple[Placed, ...]


@dataclass(frozen=True)
class Layout:
    people: dict[str, Placed]
    couples: list[Couple]
    sibships: list[Sibship]
    width: float
    height: float


def generations(family: Family) -> dict[str, int]:
    """Each member's row: 0 for those without a parent recorded, one below their lowest parent."""
    gen = {m.member_id: 0 for m in family.members}
    parents = [(r.from_id, r.to_id) for r in family.relations if r.kind == PARENT_OF]
    partners = [(r.from_id, r.to_id) for r in family.relations if r.kind in (PARTNER_OF, FORMER_PARTNER_OF)]
    for _ in range(len(gen) + 1):  # settles within as many passes as there are people
        moved = False
        for parent, child in parents:
            if gen[child] < gen[parent] + 1:
                gen[child], moved = gen[parent] + 1, True
        for a, b in partners:
            row = max(gen[a], gen[b])
            if gen[a] != row or gen[b] != row:
                gen[a] = gen[b] = row
                moved = True
        if not moved:
            break
    return gen


def layout(family: Family) -> Layout:
    gen = generations(family)
    by_id = {m.member_id: m for m in family.members}
    parents_of: dict[str, list[str]] = {}
    for r in family.relations:
        if r.kind == PARENT_OF:
            parents_of.setdefault(r.to_id, []).append(r.from_id)
    partner_pairs = [r for r in family.relations if r.kind in (PARTNER_OF, FORMER_PARTNER_OF)]
    x: dict[str, float] = {}
    rows = sorted(set(gen.values()))
    for row in rows:
        here = [m.member_id for m in family.members if gen[m.member_id] == row]

        def anchor(mid: str, here: list[str] = here) -> float:
            """Under the middle of the parents placed already; else in the order recorded."""
            ps = [x[p] for p in parents_of.get(mid, []) if p in x]
            return sum(ps) / len(ps) if ps else float(here.index(mid)) * SPACING

        order: list[str] = []
        for mid in sorted(here, key=lambda m: (anchor(m), here.index(m))):
            if mid in order:
                continue
            partners = [
                other
                for r in partner_pairs
                for other in ((r.to_id if r.from_id == mid else r.from_id if r.to_id == mid else None),)
                if other in here and other not in order
            ]
            # Partners beside them: a former partner on the left, the others on the right, so
            # that no partnership line crosses a third person.
            formers = [
                o
                for o in partners
                if any(
                    r.kind == FORMER_PARTNER_OF and {r.from_id, r.to_id} == {mid, o} for r in partner_pairs
                )
            ]
            left = formers[:1] if len(partners) > 1 else []
            order.extend([*left, mid, *(o for o in partners if o not in left)])
        width = (len(order) - 1) * SPACING
        centre = sum(anchor(m) for m in order) / len(order) if row != rows[0] else width / 2
        start = max(0.0, centre - width / 2)
        for i, mid in enumerate(order):
            x[mid] = start + i * SPACING
    people = {mid: Placed(by_id[mid], x[mid] + MARGIN, gen[mid] * ROW + MARGIN, gen[mid]) for mid in by_id}
    couples = []
    for r in partner_pairs:
        first, second = sorted((people[r.from_id], people[r.to_id]), key=lambda p: p.x)
        couples.append(Couple(first, second, former=r.kind == FORMER_PARTNER_OF))
    groups: dict[tuple[str, ...], list[Placed]] = {}
    for child, ps in parents_of.items():
        groups.setdefault(tuple(sorted(ps)), []).append(people[child])
    sibships = [
        Sibship(tuple(people[p] for p in ps), tuple(sorted(kids, key=lambda k: k.x)))
        for ps, kids in groups.items()
    ]
    drawn_width = max((p.x for p in people.values()), default=0.0) + MARGIN
    drawn_height = max((p.y for p in people.values()), default=0.0) + MARGIN + 30
    return Layout(people, couples, sibships, drawn_width, drawn_height)
