from mongoengine import Document, IntField

from shared.pagination import MAX_PER_PAGE, PageQuery, page_schema, paginate


class Numbered(Document):
    meta = {"collection": "test_numbered"}
    n = IntField()


def test_a_queryset_comes_a_page_at_a_time_with_the_total():
    for n in range(120):
        Numbered(n=n).save()
    page = paginate(Numbered.objects.order_by("n"), page=3, per_page=50)
    assert [d.n for d in page.items] == list(range(100, 120))
    assert (page.total, page.pages, page.has_next, page.has_previous) == (120, 3, False, True)
    assert page.as_dict(lambda d: d.n)["items"][0] == 100


def test_a_page_past_the_last_is_empty_and_sizes_are_bounded():
    page = paginate(list(range(10)), page=5, per_page=1000)
    assert page.items == [] and page.per_page == MAX_PER_PAGE and page.pages == 1


def test_the_query_defaults_to_the_first_page_of_fifty_and_refuses_nonsense():
    assert PageQuery().load({}) == {"page": 1, "per_page": 50}
    assert set(PageQuery().validate({"page": "0", "per_page": "5000"})) == {"page", "per_page"}


def test_the_answer_schema_describes_a_page():
    from marshmallow import Schema, fields

    class Thing(Schema):
        name = fields.String(required=True)

    schema = page_schema(Thing)()
    assert schema.load({"items": [{"name": "a"}], "total": 1, "page": 1, "per_page": 50, "pages": 1})
