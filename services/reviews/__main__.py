"""`python -m services.reviews [all|web|worker]`: run the reviews service."""

from services.reviews.bootstrap import bootstrap
from shared.serve import main

if __name__ == "__main__":
    main(bootstrap)
