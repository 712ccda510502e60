"""The one pager every list page and the family report use (shared/pager.py)."""

from flask import Flask

from shared.pager import page_asked, pager, pages_pager
from shared.pagination import Page

app = Flask(__name__)


def hrefs(nav: dict) -> list[str]:
    return [i["href"] if "href" in i else "…" for i in nav["items"]]


def test_the_links_keep_the_filters_and_show_the_first_the_last_and_the_neighbours():
    with app.test_request_context("/cases?status=open&per_page=10&page=5"):
        shown = pager(Page(list(range(10)), 95, page_asked()["page"], page_asked()["per_page"]), "cases")
    assert shown["summary"] == "Showing 41 to 50 of 95 cases"
    nav = shown["nav"]
    link = "/cases?status=open&per_page=10&page={}".format
    assert hrefs(nav) == [link(1), "…", link(4), link(5), link(6), "…", link(10)]
    assert (nav["previous"]["href"], nav["next"]["href"], nav["landmarkLabel"]) == (link(4), link(6), "cases")


def test_the_usual_page_size_is_left_out_and_one_page_has_no_links():
    with app.test_request_context("/schedule?per_page=50&page=2"):
        nav = pager(Page([1], 51, 2, 50), "deadlines")["nav"]
        assert hrefs(nav) == ["/schedule?page=1", "/schedule?page=2"]
        assert pager(Page([], 0, 1, 50), "deadlines") == {"summary": "No deadlines", "nav": None}


def test_a_page_past_the_last_links_back_to_the_last():
    with app.test_request_context("/cases?page=9"):
        shown = pager(Page([], 3, 9, 50), "cases")
    assert shown["summary"] == "3 cases" and shown["nav"] is None
    with app.test_request_context("/cases?per_page=1&page=9"):
        nav = pager(Page([], 3, 9, 1), "cases")["nav"]
    assert nav["previous"]["href"] == "/cases?per_page=1&page=3" and "next" not in nav


def test_an_edited_page_number_asks_for_the_first_page():
    with app.test_request_context("/cases?page=nonsense&per_page=5000"):
        assert page_asked() == {"page": 1, "per_page": 50}


def test_a_report_has_only_the_previous_and_next_pages():
    with app.test_request_context("/reports/s1?page=2"):
        shown = pages_pager(2, 3, "Pages of the report")
    assert shown["summary"] == "Page 2 of 3" and "items" not in shown["nav"]
    assert (shown["nav"]["previous"]["href"], shown["nav"]["next"]["href"]) == (
        "/reports/s1?page=1",
        "/reports/s1?page=3",
    )


def test_the_shared_template_shows_the_links_and_the_words_only_when_asked():
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

    from shared.ui import SHARED_TEMPLATES

    loader = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(SHARED_TEMPLATES)), loader]), autoescape=True)
    macro = '{% from "_pager.html" import pagination %}'
    page = env.from_string(macro + "{{ pagination(pager, summary=summary) }}")
    with app.test_request_context("/reports/s1?page=2"):
        report = pages_pager(2, 3, "Pages of the report")
    shown = page.render(pager=report, summary=False)
    assert 'href="/reports/s1?page=1"' in shown and 'href="/reports/s1?page=3"' in shown
    assert 'aria-label="Pages of the report"' in shown and "Page 2 of 3" not in shown
    assert "Page 2 of 3" in page.render(pager=report, summary=True)
    assert page.render(pager={"summary": "No cases", "nav": None}, summary=False).strip() == ""
