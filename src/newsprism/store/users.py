"""Local accounts, reading history and the web's signing secret.

Passwords are hashed with scrypt from the standard library; the hash string carries its own
parameters so that they can be raised later without breaking existing accounts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsprism.errors import InputError
from newsprism.store.schema import meta, reading_history, users
from newsprism.timeutil import as_utc, utcnow

# scrypt cost: n=2**14, r=8 is the interactive-login setting recommended by its author
# (about 16 MiB and ~50 ms here); p=1 keeps one login on one core.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 1024 * 1024

USERNAME_MIN, USERNAME_MAX = 3, 32
PASSWORD_MIN, PASSWORD_MAX = 10, 256
_USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_.-")

SECRET_KEY_META = "web_secret_key"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    is_admin: bool
    password_hash: str
    created_at: datetime
    session_generation: int = 0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=SCRYPT_MAXMEM,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def normalize_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX or not set(name) <= _USERNAME_CHARS:
        raise InputError(
            f"username: {USERNAME_MIN}–{USERNAME_MAX} characters of a–z, 0–9, '_', '.', '-'"
        )
    return name


def check_password_rules(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InputError(f"password: {PASSWORD_MIN}–{PASSWORD_MAX} characters")


def _user(row: Any) -> User:
    return User(
        id=int(row.id),
        username=row.username,
        is_admin=bool(row.is_admin),
        password_hash=row.password_hash,
        created_at=as_utc(row.created_at) or utcnow(),
        session_generation=int(row.session_generation or 0),
    )


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def create_user(
    conn: Connection, username: str, password: str, *, is_admin: bool | None = None
) -> User:
    """A new account; the first account of a server becomes its admin unless told otherwise."""
    name = normalize_username(username)
    check_password_rules(password)
    admin = count_users(conn) == 0 if is_admin is None else is_admin
    try:
        with conn.begin_nested():
            result = conn.execute(
                insert(users).values(
                    username=name,
                    password_hash=hash_password(password),
                    is_admin=admin,
                    created_at=utcnow(),
                )
            )
    except IntegrityError:
        raise InputError(f"username {name!r} is already taken") from None
    user = get_user(conn, int(result.inserted_primary_key[0]))  # type: ignore[index]
    assert user is not None
    return user


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def end_sessions(conn: Connection, user_id: int) -> None:
    """Every session cookie issued to the account so far stops working (sign-out)."""
    conn.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(session_generation=users.c.session_generation + 1)
    )


def get_user_by_name(conn: Connection, username: str) -> User | None:
    if "\x00" in username:
        return None  # no account has one, and PostgreSQL refuses it in a query
    row = conn.execute(select(users).where(users.c.username == username.strip().lower())).first()
    return _user(row) if row else None


def authenticate(conn: Connection, username: str, password: str) -> User | None:
    user = get_user_by_name(conn, username)
    if user is None:
        # Hash anyway so that response time does not reveal which usernames exist.
        verify_password(password, _dummy_hash())
        return None
    return user if verify_password(password, user.password_hash) else None


def set_admin(conn: Connection, username: str, is_admin: bool = True) -> None:
    user = get_user_by_name(conn, username)
    if user is None:
        raise InputError(f"no account named {username!r}")
    conn.execute(users.update().where(users.c.id == user.id).values(is_admin=is_admin))


# Reloading a story or coming back to it within this window is one reading, not several.
READ_AGAIN_AFTER = timedelta(minutes=30)


def record_reading(conn: Connection, user_id: int, story_id: int, snapshot: dict[str, Any]) -> bool:
    """Note that a reader opened a story; False when it was already noted just before."""
    last = conn.execute(
        select(func.max(reading_history.c.opened_at)).where(
            reading_history.c.user_id == user_id, reading_history.c.story_id == story_id
        )
    ).scalar_one()
    if last is not None and utcnow() - (as_utc(last) or utcnow()) < READ_AGAIN_AFTER:
        return False
    conn.execute(
        insert(reading_history).values(
            user_id=user_id, story_id=story_id, opened_at=utcnow(), snapshot=snapshot
        )
    )
    return True


def reading_history_rows(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            reading_history.c.story_id,
            reading_history.c.opened_at,
            reading_history.c.snapshot,
        )
        .where(reading_history.c.user_id == user_id)
        .order_by(reading_history.c.opened_at, reading_history.c.id)
    )
    return [
        {"story_id": int(r.story_id), "opened_at": as_utc(r.opened_at), "snapshot": r.snapshot}
        for r in rows
    ]


def delete_reading_history(conn: Connection, user_id: int) -> int:
    result = conn.execute(delete(reading_history).where(reading_history.c.user_id == user_id))
    return int(result.rowcount or 0)


def delete_user(conn: Connection, user_id: int) -> None:
    conn.execute(delete(reading_history).where(reading_history.c.user_id == user_id))
    conn.execute(delete(users).where(users.c.id == user_id))


def web_secret_key(conn: Connection) -> str:
    """The secret that signs session cookies: made once per database, so restarts keep logins."""
    row = conn.execute(select(meta.c.value).where(meta.c.key == SECRET_KEY_META)).first()
    if row and isinstance(row[0], str) and len(row[0]) >= 32:
        return str(row[0])
    key = secrets.token_urlsafe(48)
    try:
        with conn.begin_nested():
            conn.execute(insert(meta).values(key=SECRET_KEY_META, value=key))
    except IntegrityError:
        # Another process made it first; theirs wins so every process signs alike.
        row = conn.execute(select(meta.c.value).where(meta.c.key == SECRET_KEY_META)).first()
        return str(row[0]) if row else key
    return key


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(8))
