"""Accounts for ``OPENGREX_AUTH=1``: scrypt password hashes with a per-user salt, roles viewer/editor.

Hash format: ``scrypt$n$r$p$salt_hex$hash_hex`` (``hashlib.scrypt``, n=2**14, r=8, p=1, 16-byte salt,
64-byte key); verification in constant time (``hmac.compare_digest``). An unknown name costs the same one scrypt
as a wrong password (a fixed dummy hash), so response times do not tell which names exist.

``session_version``: every sign-in cookie carries it; :func:`revoke_sessions` (logout) and a password reset
raise it, which ends every session of that user.
"""
from __future__ import annotations

import hashlib
import hmac
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengrex.errors import InputError
from opengrex.store.models import ROLES, User

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """scrypt hash of ``password`` with a random salt, as one string."""
    salt = salt or os.urandom(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=64)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash."""
    try:
        algo, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(key) // 2)
    return hmac.compare_digest(got.hex(), key)


def add_user(session: Session, *, name: str, password: str, role: str = "viewer") -> User:
    """Create an account (or reset the password and role of an existing one)."""
    name = name.strip()
    if not name:
        raise InputError("gebruikersnaam ontbreekt", field="naam", value=name, allowed="een niet-lege naam")
    if role not in ROLES:
        raise InputError("onbekende rol", field="role", value=role, allowed=", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise InputError("wachtwoord te kort", field="wachtwoord", value=f"{len(password)} tekens", allowed=f"ten minste {MIN_PASSWORD} tekens")
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        user = User(name=name, password_hash=hash_password(password), role=role)
        session.add(user)
    else:
        user.password_hash = hash_password(password)
        user.role = role
        user.session_version = (user.session_version or 0) + 1  # a reset password ends the old sessions
    session.flush()
    return user


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(os.urandom(16).hex())
    return _DUMMY_HASH


def authenticate(session: Session, *, name: str, password: str) -> User | None:
    """The user when name and password match, else ``None``: one scrypt either way (a dummy hash for an unknown
    name), so the time taken does not reveal whether the name exists."""
    user = session.scalars(select(User).where(User.name == name[:100])).first() if len(name) <= 100 else None
    if user is None:
        verify_password(password, _dummy_hash())
        return None
    return user if verify_password(password, user.password_hash) else None


def revoke_sessions(session: Session, *, name: str) -> None:
    """End every session of ``name`` (their cookies carry an older session version from now on)."""
    user = get_user(session, name=name)
    if user is not None:
        user.session_version = (user.session_version or 0) + 1
        session.flush()


def get_user(session: Session, *, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name)).first()
