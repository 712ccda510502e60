"""Reviews service: the review after the decision: panel, terms of reference, agency contributions."""
