"""Web pages of the referral service (GOV.UK Design System)."""

from flask import Blueprint

blueprint = Blueprint("pages", __name__, template_folder="../templates")
