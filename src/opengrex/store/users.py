"""Accounts for ``OPENGREX_AUTH=1``: scrypt password hashes with a per-user salt, roles viewer/editor.

Hash format: ``scrypt$n$r$p$salt_hex$hash_hex`` (``hashlib.scrypt``, n=2**14, r=8, p=1, 16-byte salt,
64-byte key); verification in constant time (``hmac.compare_digest``).
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
    session.flush()
    return user


def authenticate(session: Session, *, name: str, password: str) -> User | None:
    """The user when name and password match, else ``None`` (same work either way)."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        verify_password(password, hash_password("dummy-password"))
        return None
    return user if verify_password(password, user.password_hash) else None


def get_user(session: Session, *, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name)).first()
