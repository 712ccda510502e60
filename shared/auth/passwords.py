"""Password hashing with argon2 (argon2-cffi), and sign-in with lockout."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.auth.models import User, now

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY = _hasher.hash("not a real password")


def configure(time_cost: int, memory_kib: int) -> None:
    """Set argon2's cost (the defaults are argon2-cffi's, RFC 9106's low-memory profile).

    Only the test configuration lowers it, so tests that sign in hundreds of times stay
    quick; stored hashes carry their own parameters and are upgraded at the next sign-in.
    """
    global _hasher, _DUMMY
    if (_hasher.time_cost, _hasher.memory_cost) != (time_cost, memory_kib):
        _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        _DUMMY = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class SignInRefused(Exception):
    """Wrong email or password, or the account is locked. The message is safe to show."""

    def __init__(self, message: str, *, user: User | None, reason: str):
        super().__init__(message)
        self.user = user
        self.reason = reason


def refusal(max_failures: int, lockout_minutes: int) -> str:
    """The one message for every refused sign-in: it does not tell whether the account exists."""
    return (
        "Enter a correct email address and password. After "
        f"{max_failures} wrong attempts in a row, an account cannot sign in for {lockout_minutes} minutes."
    )


def _spend_a_check(password: str) -> None:
    """Take as long as checking a real password, so timing does not tell accounts apart either."""
    try:
        _hasher.verify(_DUMMY, password)
    except VerificationError:
        pass


def check_password(email: str, password: str, *, max_failures: int, lockout_minutes: int) -> User:
    """Return the user, or raise :class:`SignInRefused`; count failures and lock out."""
    message = refusal(max_failures, lockout_minutes)
    user: User | None = User.objects(email=email.strip().lower()).first()
    at = now()
    if user is None or not user.password_hash or not user.active or user.default_board() is None:
        _spend_a_check(password)
        raise SignInRefused(message, user=user, reason="unknown user" if user is None else "no password")
    if user.is_locked(at):
        _spend_a_check(password)
        raise SignInRefused(message, user=user, reason="locked")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = user.failed_sign_ins + 1
        update: dict[str, Any] = {"set__failed_sign_ins": failures}
        if failures >= max_failures:
            update["set__locked_until"] = at + timedelta(minutes=lockout_minutes)
            update["set__failed_sign_ins"] = 0
        User.objects(user_id=user.user_id).update_one(**update)
        raise SignInRefused(message, user=user, reason="wrong password") from None
    changes: dict[str, Any] = {"set__failed_sign_ins": 0, "unset__locked_until": True}
    if _hasher.check_needs_rehash(user.password_hash):
        changes["set__password_hash"] = _hasher.hash(password)
    User.objects(user_id=user.user_id).update_one(**changes)
    return user


# -- choosing a password ---------------------------------------------------------------------------

MIN_LENGTH = 12
MAX_LENGTH = 200
# A few of the passwords most often seen in breaches (NCSC's list starts with them): refused
# whatever their length, as are the person's own email address and name.
COMMON = frozenset(
    {
        "123456789012",
        "1234567890123",
        "password1234",
        "passwordpassword",
        "qwertyuiopas",
        "qwerty123456",
        "iloveyou1234",
        "administrator",
        "letmein12345",
        "welcome12345",
        "changeme1234",
        "safeguarding",
        "safeguarding1",
        "safeguarding123",
    }
)


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a new password, in words to show; empty when it will do.

    GOV.UK's and the NCSC's guidance: long rather than complicated (no rules about symbols or
    capitals, which make passwords weaker in practice), not a well-known password, not the
    person's own email address or name.
    """
    if not password:
        return ["Enter a password"]
    if len(password) < MIN_LENGTH:
        return [f"Password must be {MIN_LENGTH} characters or more"]
    if len(password) > MAX_LENGTH:
        return [f"Password must be {MAX_LENGTH} characters or fewer"]
    lowered = password.strip().lower()
    if lowered in COMMON or len(set(lowered)) < 4:
        return ["Choose a password that is harder to guess: try three random words"]
    personal = {email.strip().lower(), email.strip().lower().partition("@")[0], name.strip().lower()}
    if lowered in personal - {""}:
        return ["Password must not be your email address or your name"]
    return []
