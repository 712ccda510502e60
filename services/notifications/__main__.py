"""`python -m services.notifications [all|web|worker]`: run the notifications service."""

from services.notifications.bootstrap import bootstrap
from shared.serve import main

if __name__ == "__main__":
    main(bootstrap)
