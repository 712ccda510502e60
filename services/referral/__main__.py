"""`python -m services.referral [all|web|worker]`: run the referral service."""

from services.referral.bootstrap import bootstrap
from shared.serve import main

if __name__ == "__main__":
    main(bootstrap)
