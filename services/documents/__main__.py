"""`python -m services.documents [all|web|worker]`: run the documents service."""

from services.documents.bootstrap import bootstrap
from shared.serve import main

if __name__ == "__main__":
    main(bootstrap)
