"""The family's part: members and relationships, the genogram (shapes, generations, the child
highlighted, words for screen readers), contacts held while proceedings run, consent, support,
views; the API's 422s, 404 and roles."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest

from services.reviews.adapters.genogram_svg import render
from services.reviews.domain.family import Contact, Family, FamilyMember, Relation
from services.reviews.domain.genogram import generations, layout
from shared.errors import Conflict, InvalidInput
from tests.factories import bearer, make_board, make_token, make_user

BASE = "/api/v1/reviews/c1"
SVG = "{http://www.w3.org/2000/svg}"


def family() -> Family:
    f = Family()
    for mid, name, rel, sex in [
        ("gm", "Gwen", "grandmother", "female"),
        ("mum", "Mia", "mother", "female"),
        ("dad", "Dan", "father", "male"),
        ("step", "Sam", "stepfather", "unknown"),
        ("kid", "Kit", "child", "male"),
        ("sis", "Suzy", "sibling", "female"),
    ]:
        f.add_member(FamilyMember(mid, name, rel, sex))
    f.relate(Relation("gm", "parent_of", "mum"))
    f.relate(Relation("mum", "former_partner_of", "dad"))
    f.relate(Relation("mum", "partner_of", "step"))
    for child in ("kid", "sis"):
        f.relate(Relation("mum", "parent_of", child))
        f.relate(Relation("dad", "parent_of", child))
    return f


def test_generations_follow_the_parents_and_partners_share_a_row():
    gen = generations(family())
    assert gen == {"gm": 0, "mum": 1, "dad": 1, "step": 1, "kid": 2, "sis": 2}
    placed = layout(family()).people
    assert placed["kid"].y > placed["mum"].y > placed["gm"].y
    assert placed["mum"].y == placed["dad"].y == placed["step"].y
    # The children sit under the middle of their parents.
    parents_mid = (placed["mum"].x + placed["dad"].x) / 2
    kids_mid = (placed["kid"].x + placed["sis"].x) / 2
    assert abs(parents_mid - kids_mid) <= 150


def test_the_genogram_draws_the_usual_shapes_and_highlights_the_child():
    svg = ElementTree.fromstring(render(family(), "Genogram of the family"))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Genogram of the family"
    desc = svg.find(f"{SVG}desc").text
    assert "Kit: child, male" in desc and "Mia former partner of Dan" in desc
    assert len(svg.findall(f"{SVG}rect")) == 3  # Dan; Kit, and Kit's second outline
    assert len(svg.findall(f"{SVG}circle")) == 3  # Gwen, Mia, Suzy
    assert len(svg.findall(f"{SVG}polygon")) == 1  # Sam: not known
    highlighted = [e for e in svg.iter() if e.get("fill") == "#ffdd00"]
    assert len(highlighted) == 1
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Kit" in texts and "Stepfather" in texts


def test_relationships_must_name_members_and_cannot_loop():
    f = family()
    with pytest.raises(InvalidInput) as caught:
        f.relate(Relation("nobody", "parent_of", "ghost"))
    assert {p["field"] for p in caught.value.errors()} == {"from", "to"}
    with pytest.raises(InvalidInput):
        f.relate(Relation("kid", "parent_of", "gm"))  # Kit is Gwen's grandchild
    f.relate(Relation("step", "partner_of", "mum"))  # the same partnership, the other way round
    assert len([r for r in f.relations if r.kind == "partner_of"]) == 1


def test_contacts_made_during_a_hold_say_so_and_consent_is_only_withdrawn_once_given():
    f = family()
    f.set_hold(True, "Criminal proceedings against the father", date(2026, 3, 2))
    held = f.record_contact(
        Contact("c1", date(2026, 3, 3), "Bea", "through_police", "Letter passed on", ["mum"])
    )
    assert held.during_hold
    f.set_hold(False, None, date(2026, 5, 1))
    later = f.record_contact(Contact("c2", date(2026, 5, 2), "Bea", "visit", "Met at home", ["mum"]))
    assert not later.during_hold
    with pytest.raises(Conflict):
        f.set_consent("mum", "withdrawn", date(2026, 5, 2))
    f.set_consent("mum", "given", date(2026, 5, 2))
    assert f.set_consent("mum", "withdrawn", date(2026, 6, 1)).consent.status == "withdrawn"
    with pytest.raises(InvalidInput):
        f.set_hold(True, " ", date(2026, 6, 1))


def test_stored_and_loaded_the_family_is_the_same():
    f = family()
    f.set_consent("mum", "given", date(2026, 5, 2))
    f.set_hold(True, "Trial", date(2026, 3, 2))
    assert Family.from_dict(f.as_dict()) == f


# -- through the API -------------------------------------------------------------------------------


def add(client, headers, **body):
    resp = client.post(f"{BASE}/family/members", json=body, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_the_family_recorded_through_the_api_and_its_genogram(client, users, review):
    bu = users["business"]
    mum = add(client, bu, name="Mia", relationship_to_child="mother", sex="female")
    kid = add(client, bu, name="Kit", relationship_to_child="child", sex="male", born_on="2024-05-01")
    assert (
        client.post(
            f"{BASE}/family/relationships", json={"from": mum, "kind": "parent_of", "to": kid}, headers=bu
        ).status_code
        == 201
    )
    hold = client.put(
        f"{BASE}/family/hold", json={"held": True, "reason": "Criminal proceedings"}, headers=bu
    )
    assert hold.get_json() == {"held": True, "reason": "Criminal proceedings", "since": "2026-03-02"}
    contact = client.post(
        f"{BASE}/family/contacts",
        json={
            "on": "2026-03-02",
            "by": "Bea",
            "how": "letter",
            "outcome": "Letter sent",
            "member_ids": [mum],
        },
        headers=bu,
    ).get_json()
    assert contact["held"] is True and "held" in contact["notice"]
    assert (
        client.put(
            f"{BASE}/family/members/{mum}/consent", json={"status": "given", "on": "2026-03-02"}, headers=bu
        ).status_code
        == 200
    )
    body = client.get(f"{BASE}/family", headers=bu).get_json()
    assert (
        body["hold"]["held"]
        and body["contacts"][0]["held"]
        and body["members"][0]["consent"]["status"] == "given"
    )
    svg = client.get(f"{BASE}/family/genogram.svg", headers=bu)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"Kit" in svg.data and b"<title" in svg.data


def test_the_family_api_names_every_wrong_field_and_refuses_by_role(client, users, review):
    bu = users["business"]
    resp = client.post(
        f"{BASE}/family/members", json={"name": "", "relationship_to_child": "cousin", "sex": "x"}, headers=bu
    )
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {"name", "relationship_to_child", "sex"}
    resp = client.post(
        f"{BASE}/family/contacts",
        json={"on": "2026-03-02", "by": "Bea", "how": "letter", "outcome": "x", "member_ids": ["nobody"]},
        headers=bu,
    )
    assert resp.status_code == 422 and resp.get_json()["errors"][0]["field"] == "member_ids.0"
    for role in ("police", "family", "panel"):
        assert client.get(f"{BASE}/family", headers=users[role]).status_code == 403
        assert client.get(f"{BASE}/family/genogram.svg", headers=users[role]).status_code == 403
    assert (
        client.post(
            f"{BASE}/family/members",
            json={"name": "A", "relationship_to_child": "mother"},
            headers=users["chair"],
        ).status_code
        == 403
    )
    assert client.get(f"{BASE}/family", headers=users["chair"]).status_code == 200
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.get(f"{BASE}/family/genogram.svg", headers=other).status_code == 404
