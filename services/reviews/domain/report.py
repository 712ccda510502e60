"""The final report of a review (002 §2.8) and its road to publication (003 "Publication of
reports"; 002 §2.9): an aggregate of its own, one per case.

Every draft is kept as a numbered version of sections; the panel and lead reviewers comment on a
version; the board (its Chair) signs one version off, and a version saved after that needs a new
sign-off; the business unit shows a version to named family members, who may comment on it
(002 §2.5). The publication half is :mod:`.publication`. Pure Python.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from services.reviews.domain.publication import Publication
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events.report import ReportSharedWithFamily, ReportSignedOff, ReportVersionSaved

# 002 §2.8: what the final report holds, in its order, with the words pages and documents use.
SECTIONS: dict[str, str] = {
    "circumstances": "Circumstances that led to the review",
    "process_and_methodology": "Review process and methodology",
    "participation": "Participation of practitioners and family",
    "good_practice": "Findings: good practice",
    "improvement": "Findings: where practice must improve",
    "actions_taken": "Actions already taken",
    "conclusion": "Conclusion on the effectiveness of local practice",
    "recommendations": "Recommendations and practice challenges",
}
# An uploaded report whose headings match none of the sections keeps its text here.
BODY = "body"
SECTION_LIMIT = 100_000


@dataclass(frozen=True)
class Version:
    number: int
    sections: dict[str, str]
    saved_on: date
    saved_by: str
    filename: str | None = None  # the .docx it was read from, when uploaded


@dataclass(frozen=True)
class ReportComment:
    comment_id: str
    version: int
    text: str
    by: str
    on: date
    section: str | None = None
    family: bool = False  # written by a family member who was shown the version


@dataclass(frozen=True)
class Share:
    version: int
    user_id: str
    email: str
    shared_on: date
    shared_by: str


@dataclass(frozen=True)
class SignOff:
    version: int
    signed_off_on: date
    by: str


def section_problems(sections: dict[str, str], field_name: str = "sections") -> list[dict[str, str]]:
    """Unknown section names, and a version with nothing written in it."""
    problems = [
        {
            "field": f"{field_name}.{k}",
            "message": f"Not a section of the report: choose from {', '.join(SECTIONS)}",
        }
        for k in sorted(set(sections) - {*SECTIONS, BODY})
    ]
    problems += [
        {"field": f"{field_name}.{k}", "message": f"Keep a section under {SECTION_LIMIT:,} characters"}
        for k, v in sorted(sections.items())
        if len(v) > SECTION_LIMIT
    ]
    if not any(v.strip() for v in sections.values()):
        problems.append({"field": field_name, "message": "Write at least one section of the report"})
    return problems


def compare(older: Version, newer: Version) -> list[dict[str, Any]]:
    """Section by section, what changed from ``older`` to ``newer``: the lines side by side
    (``rows``: each ``[tag, old line, new line]`` with tag equal, replace, delete or insert)."""
    names = [k for k in (*SECTIONS, BODY) if k in older.sections or k in newer.sections]
    out = []
    for name in names:
        a = older.sections.get(name, "").splitlines()
        b = newer.sections.get(name, "").splitlines()
        rows: list[list[str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            for k in range(max(i2 - i1, j2 - j1)):
                left = a[i1 + k] if i1 + k < i2 else ""
                right = b[j1 + k] if j1 + k < j2 else ""
                if tag == "replace" and i1 + k >= i2:
                    rows.append(["insert", "", right])
                elif tag == "replace" and j1 + k >= j2:
                    rows.append(["delete", left, ""])
                else:
                    rows.append([tag, left, right])
        out.append({"section": name, "changed": a != b, "rows": rows})
    return out


@dataclass
class Report:
    case_id: str
    board_id: str
    reference: str | None = None
    versions: list[Version] = field(default_factory=list)
    comments: list[ReportComment] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    sign_off: SignOff | None = None
    publication: Publication = field(default_factory=Publication)
    version: int = 0  # of the stored record (optimistic concurrency)
    events: list[Any] = field(default_factory=list)

    # -- versions -------------------------------------------------------------------------------

    def add_version(
        self, sections: dict[str, str], on: date, by: str, filename: str | None = None
    ) -> Version:
        problems = section_problems(sections)
        if problems:
            raise InvalidInput(problems)
        if self.publication.published_on is not None:
            raise Conflict("The report is published: its text can no longer change", "sections")
        kept = {k: v for k, v in sections.items() if v.strip()}
        version = Version(len(self.versions) + 1, kept, on, by, filename)
        self.versions.append(version)
        self.events.append(
            ReportVersionSaved(
                case_id=self.case_id,
                board_id=self.board_id,
                reference=self.reference,
                version=version.number,
                saved_on=on,
                sections=dict(kept),
            )
        )
        return version

    def get_version(self, number: int, field_name: str = "version") -> Version:
        if 1 <= number <= len(self.versions):
            return self.versions[number - 1]
        raise NotFound("There is no such version of the report", field_name)

    @property
    def latest(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    # -- comments -------------------------------------------------------------------------------

    def comment(self, comment: ReportComment) -> ReportComment:
        self.get_version(comment.version)
        if comment.section is not None and comment.section not in {*SECTIONS, BODY}:
            raise InvalidInput([{"field": "section", "message": "Not a section of the report"}])
        if comment.section is not None and comment.section not in self.get_version(comment.version).sections:
            raise InvalidInput([{"field": "section", "message": "This version has nothing in that section"}])
        if any(c.comment_id == comment.comment_id for c in self.comments):
            return next(c for c in self.comments if c.comment_id == comment.comment_id)
        self.comments.append(comment)
        return comment

    # -- the family's preview (002 §2.5) --------------------------------------------------------

    def share(self, number: int, user_id: str, email: str, on: date, by: str) -> Share:
        self.get_version(number)
        for s in self.shares:
            if s.version == number and s.user_id == user_id:
                return s  # shown to them already
        share = Share(number, user_id, email, on, by)
        self.shares.append(share)
        self.events.append(
            ReportSharedWithFamily(
                case_id=self.case_id,
                board_id=self.board_id,
                reference=self.reference,
                version=number,
                user_id=user_id,
                email=email,
                shared_on=on,
            )
        )
        return share

    def shown_to(self, number: int, user_id: str) -> bool:
        return any(s.version == number and s.user_id == user_id for s in self.shares)

    # -- sign-off (002 §2.9) --------------------------------------------------------------------

    def sign(self, number: int, on: date, by: str) -> SignOff:
        version = self.get_version(number)
        latest = self.latest
        assert latest is not None
        if number != latest.number:
            raise InvalidInput(
                [{"field": "version", "message": f"Sign off the latest version, version {latest.number}"}]
            )
        if on < version.saved_on:
            raise InvalidInput(
                [
                    {
                        "field": "signed_off_on",
                        "message": "The sign-off cannot come before the version was saved",
                    }
                ]
            )
        if self.sign_off is not None and self.sign_off.version == number:
            raise Conflict("This version is signed off already", "version")
        self.sign_off = SignOff(number, on, by)
        self.events.append(
            ReportSignedOff(
                case_id=self.case_id,
                board_id=self.board_id,
                reference=self.reference,
                version=number,
                signed_off_on=on,
            )
        )
        return self.sign_off

    @property
    def signed_off(self) -> SignOff | None:
        """The sign-off that stands: of the latest version (a later version needs a new one)."""
        latest = self.latest
        if self.sign_off is not None and latest is not None and self.sign_off.version == latest.number:
            return self.sign_off
        return None

    def as_dict(self) -> dict[str, Any]:
        def days(d: dict[str, Any]) -> dict[str, Any]:
            return {k: v.isoformat() if isinstance(v, date) else v for k, v in d.items()}

        return {
            "reference": self.reference,
            "versions": [days(asdict(v)) for v in self.versions],
            "comments": [days(asdict(c)) for c in self.comments],
            "shares": [days(asdict(s)) for s in self.shares],
            "sign_off": days(asdict(self.sign_off)) if self.sign_off else None,
            "publication": self.publication.as_dict(),
        }

    @classmethod
    def from_dict(cls, case_id: str, board_id: str, version: int, data: dict[str, Any]) -> Report:
        def day(v: str) -> date:
            return date.fromisoformat(v)

        signed = data.get("sign_off")
        return cls(
            case_id=case_id,
            board_id=board_id,
            reference=data.get("reference"),
            versions=[
                Version(**{**v, "saved_on": day(v["saved_on"]), "sections": dict(v["sections"])})
                for v in data.get("versions", [])
            ],
            comments=[ReportComment(**{**c, "on": day(c["on"])}) for c in data.get("comments", [])],
            shares=[Share(**{**s, "shared_on": day(s["shared_on"])}) for s in data.get("shares", [])],
            sign_off=SignOff(**{**signed, "signed_off_on": day(signed["signed_off_on"])}) if signed else None,
            publication=Publication.from_dict(data.get("publication") or {}),
            version=version,
        )
