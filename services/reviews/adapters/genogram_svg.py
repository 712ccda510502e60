"""A genogram drawn as SVG, from the layout of :mod:`services.reviews.domain.genogram`.

The usual shapes: a square for a male, a circle for a female, a diamond when not known; a cross
through someone who has died; a line between partners (two short strokes across it when they
have separated); from the partners' line, or from a single parent, a line down to their children.
The child the review is about is drawn with a double outline and a tinted fill. A title and a
description written out in words make it readable with a screen reader. No system binary needed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from services.reviews.domain.family import Family
from services.reviews.domain.genogram import Layout, Placed, layout
from shared.words import plain

HALF = 22  # half the size of a shape
LABELS = 40  # the name and relationship under a shape
INK = "#0b0c0c"
STROKE = f'stroke="{INK}" stroke-width="2"'
SUBJECT_FILL = "#ffdd00"


def _shape(p: Placed) -> list[str]:
    x, y = p.x, p.y
    style = f'fill="{SUBJECT_FILL if p.member.is_subject else "#ffffff"}" stroke="{INK}" stroke-width="2"'
    if p.member.sex == "male":
        out = [f'<rect x="{x - HALF}" y="{y - HALF}" width="{2 * HALF}" height="{2 * HALF}" {style}/>']
        ring = f'<rect x="{x - HALF - 5}" y="{y - HALF - 5}" width="{2 * HALF + 10}" height="{2 * HALF + 10}"'
    elif p.member.sex == "female":
        out = [f'<circle cx="{x}" cy="{y}" r="{HALF}" {style}/>']
        ring = f'<circle cx="{x}" cy="{y}" r="{HALF + 5}"'
    else:
        points = f"{x},{y - HALF - 4} {x + HALF + 4},{y} {x},{y + HALF + 4} {x - HALF - 4},{y}"
        out = [f'<polygon points="{points}" {style}/>']
        outer = f"{x},{y - HALF - 10} {x + HALF + 10},{y} {x},{y + HALF + 10} {x - HALF - 10},{y}"
        ring = f'<polygon points="{outer}"'
    if p.member.is_subject:
        out.append(f'{ring} fill="none" stroke="{INK}" stroke-width="2"/>')
    if p.member.deceased:
        out.append(
            f'<path d="M{x - HALF} {y - HALF} L{x + HALF} {y + HALF} '
            f'M{x + HALF} {y - HALF} L{x - HALF} {y + HALF}" {STROKE}/>'
        )
    label = escape(p.member.name)
    role = escape(plain(p.member.relationship_to_child))
    out.append(f'<text x="{x}" y="{y + HALF + 20}" text-anchor="middle" font-size="13">{label}</text>')
    out.append(
        f'<text x="{x}" y="{y + HALF + 36}" text-anchor="middle" font-size="11" fill="#505a5f">{role}</text>'
    )
    return out


def _reach(p: Placed) -> float:
    """How far above its centre a person's drawing begins (the diamond's point, the child's outline)."""
    if p.member.sex in ("male", "female"):
        return HALF + (5 if p.member.is_subject else 0)
    return HALF + (10 if p.member.is_subject else 4)


def _lines(lay: Layout) -> list[str]:
    out = []
    for c in lay.couples:
        y = c.left.y
        out.append(f'<line x1="{c.left.x + HALF}" y1="{y}" x2="{c.right.x - HALF}" y2="{y}" {STROKE}/>')
        if c.former:
            mid = (c.left.x + c.right.x) / 2
            out.append(
                f'<path d="M{mid - 8} {y + 8} L{mid - 2} {y - 8} '
                f'M{mid + 2} {y + 8} L{mid + 8} {y - 8}" {STROKE}/>'
            )
    for i, s in enumerate(lay.sibships):
        top_x = sum(p.x for p in s.parents) / len(s.parents)
        # From the partners' line, or from below a single parent's name.
        top_y = s.parents[0].y if len(s.parents) > 1 else s.parents[0].y + HALF + LABELS
        # Each family of children its own bar, so that half-siblings' lines stay apart.
        bar_y = max(p.y for p in s.parents) + HALF + LABELS + 12 + 8 * (i % 4)
        out.append(
            f'<line x1="{top_x}" y1="{top_y}" x2="{top_x}" y2="{bar_y}" stroke="{INK}" stroke-width="2"/>'
        )
        xs = [k.x for k in s.children] + [top_x]
        out.append(
            f'<line x1="{min(xs)}" y1="{bar_y}" x2="{max(xs)}" y2="{bar_y}" stroke="{INK}" stroke-width="2"/>'
        )
        for k in s.children:
            top = k.y - _reach(k)
            out.append(
                f'<line x1="{k.x}" y1="{bar_y}" x2="{k.x}" y2="{top}" stroke="{INK}" stroke-width="2"/>'
            )
    return out


def describe(family: Family) -> str:
    """The genogram in words: each person, how they are related to the child, and to each other."""
    names = {m.member_id: m.name for m in family.members}
    people = [
        f"{m.name}: {plain(m.relationship_to_child).lower()}"
        + (f", {m.sex}" if m.sex != "unknown" else "")
        + (", died" if m.deceased else "")
        + (f", household {m.household}" if m.household else "")
        for m in family.members
    ]
    links = [f"{names[r.from_id]} {plain(r.kind).lower()} {names[r.to_id]}" for r in family.relations]
    return ". ".join(people + links) + "." if people else "No family members are recorded yet."


def render(family: Family, title: str) -> str:
    lay = layout(family)
    width, height = max(lay.width, 320), max(lay.height, 120)
    body = _lines(lay) + [part for p in lay.people.values() for part in _shape(p)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="genogram-title genogram-desc" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="Arial, sans-serif">'
        f'<title id="genogram-title">{escape(title)}</title>'
        f'<desc id="genogram-desc">{escape(describe(family))}</desc>' + "".join(body) + "</svg>"
    )
