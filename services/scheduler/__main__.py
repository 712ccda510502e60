"""`python -m services.scheduler [all|web|worker]`: run the scheduler service."""

from services.scheduler.bootstrap import bootstrap
from shared.serve import main

if __name__ == "__main__":
    main(bootstrap)
