"""The learning repository hears when a review is finished: its report published, or the board's
decision not to publish it (003 "Publication of reports"). The review's learning summary is then
final in the repository (``finished``), with the publication date when there is one.

Declared on the handlers' ``listeners``, queue ``reviews.learning``; a repeat changes nothing.
"""

from __future__ import annotations

from services.reviews.service_layer.handlers import listeners
from services.reviews.service_layer.learning import review_finished
from shared.events import Event
from shared.events.report import PublicationDecided, ReportPublished

QUEUE = "learning"


@listeners.handles(ReportPublished, queue=QUEUE)
def on_report_published(event: Event[ReportPublished]) -> None:
    review_finished(event.data.case_id, event.data.published_on)


@listeners.handles(PublicationDecided, queue=QUEUE)
def on_publication_decided(event: Event[PublicationDecided]) -> None:
    """Not to be published: finished without a publication date."""
    if not event.data.publish:
        review_finished(event.data.case_id, None)
