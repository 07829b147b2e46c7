"""Local accounts: registration, sign-in, CSRF, rate limiting, admin-only pages, cookies."""

from __future__ import annotations

import pytest

from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.store.database import Database
from newsprism.store.users import (
    authenticate,
    create_user,
    get_user_by_name,
    hash_password,
    verify_password,
)
from webdata import csrf_token, register, web_client


@pytest.fixture
def client(db: Database, settings: Settings):  # type: ignore[no-untyped-def]
    with web_client(db, settings) as test_client:
        yield test_client


def test_scrypt_hash_verifies_the_password_and_nothing_else() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterx", stored)
    assert not verify_password("anything", "not-a-hash")
    assert hash_password("same password") != hash_password("same password")  # salted


def test_usernames_are_unique_and_checked(db: Database) -> None:
    with db.write() as conn:
        create_user(conn, "Reader_1", "long enough password")
        with pytest.raises(InputError, match="already taken"):
            create_user(conn, "reader_1", "long enough password")
        with pytest.raises(InputError, match="username"):
            create_user(conn, "x", "long enough password")
        with pytest.raises(InputError, match="password"):
            create_user(conn, "short_pw", "short")
        assert authenticate(conn, "READER_1", "long enough password") is not None
        assert authenticate(conn, "reader_1", "wrong password!!") is None
        assert authenticate(conn, "nobody", "long enough password") is None


def test_first_registered_account_becomes_admin_and_later_ones_do_not(client, db: Database) -> None:
    first = register(client, "editor")
    assert first.status_code == 303 and first.headers["location"] == "/me"
    client.cookies.clear()
    second = register(client, "reader")
    assert second.status_code == 303
    with db.read() as conn:
        editor, reader = get_user_by_name(conn, "editor"), get_user_by_name(conn, "reader")
    assert editor is not None and editor.is_admin
    assert reader is not None and not reader.is_admin


def test_session_cookie_is_httponly_and_same_site(client) -> None:
    response = register(client, "editor")
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie")
    assert cookie.startswith("np_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    page = client.get("/me")
    assert "editor" in page.text and "Sign out" in page.text


def test_registration_with_mismatched_passwords_says_so(client) -> None:
    token = csrf_token(client, "/register")
    response = client.post(
        "/register",
        data={
            "username": "reader",
            "password": "first password",
            "password_again": "second password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "The two passwords differ" in response.text


def test_form_post_without_a_valid_csrf_token_is_refused(client, db: Database) -> None:
    client.get("/register")
    for token in ("", "0" * 64):
        response = client.post(
            "/register",
            data={
                "username": "mallory",
                "password": "long enough password",
                "password_again": "long enough password",
                "csrf_token": token,
            },
        )
        assert response.status_code == 403
        assert "expired or came from another site" in response.text
    with db.read() as conn:
        assert get_user_by_name(conn, "mallory") is None


def test_form_post_from_another_origin_is_refused(client) -> None:
    token = csrf_token(client, "/register")
    response = client.post(
        "/register",
        data={
            "username": "mallory",
            "password": "long enough password",
            "password_again": "long enough password",
            "csrf_token": token,
        },
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_login_is_rate_limited_after_five_failures(client, db: Database) -> None:
    with db.write() as conn:
        create_user(conn, "reader", "the right password")
    token = csrf_token(client)
    attempt = {"username": "reader", "password": "a wrong password", "csrf_token": token}
    for _ in range(5):
        assert client.post("/login", data=attempt).status_code == 400
    blocked = client.post("/login", data={**attempt, "password": "the right password"})
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0


def test_failures_from_one_address_do_not_lock_the_account_out_elsewhere(
    client, db: Database
) -> None:
    with db.write() as conn:
        create_user(conn, "admin1", "the right password")
    token = csrf_token(client)
    attempt = {"username": "admin1", "password": "a wrong password", "csrf_token": token}
    for _ in range(6):
        client.post("/login", data=attempt)
    from fastapi.testclient import TestClient

    # The same server (and its failure counts), reached from another address.
    with TestClient(client.app, client=("203.0.113.9", 50000)) as owner:
        owner_token = csrf_token(owner)
        signed_in = owner.post(
            "/login",
            data={
                "username": "admin1",
                "password": "the right password",
                "csrf_token": owner_token,
            },
            follow_redirects=False,
        )
    assert signed_in.status_code == 303


def test_login_and_logout(client, db: Database) -> None:
    with db.write() as conn:
        create_user(conn, "reader", "the right password")
    token = csrf_token(client)
    wrong = client.post(
        "/login", data={"username": "reader", "password": "nope nope nope", "csrf_token": token}
    )
    assert "Wrong username or password" in wrong.text
    nul = client.post(
        "/login", data={"username": "read\x00er", "password": "nope nope nope", "csrf_token": token}
    )
    assert nul.status_code == 400 and "Wrong username or password" in nul.text
    ok = client.post(
        "/login",
        data={
            "username": "reader",
            "password": "the right password",
            "next": "//evil.example/",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/me"  # no open redirect
    assert "Sign out" in client.get("/").text
    kept = client.cookies.get("np_session")
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.delete("np_session")
    assert "Sign in" in client.get("/login").text
    # A copy of the cookie taken before signing out no longer signs anyone in.
    client.cookies.set("np_session", kept)
    assert client.get("/me/export.json").status_code in (401, 403)
    assert "Sign out" not in client.get("/login").text


def test_forged_session_cookie_is_ignored(client) -> None:
    client.cookies.set("np_session", "eyJ1IjoxfQ.forged.signature")
    assert "Sign out" not in client.get("/login").text


def test_admin_page_is_only_for_administrators(client) -> None:
    anonymous = client.get("/admin")
    assert anonymous.status_code == 401 and "Sign in" in anonymous.text
    register(client, "editor")
    assert client.get("/admin").status_code == 200
    client.cookies.clear()
    register(client, "reader")
    refused = client.get("/admin")
    assert refused.status_code == 403
    token = csrf_token(client, "/me")
    post = client.post(
        "/admin/sources", data={"url": "http://127.0.0.1:9/feed.xml", "csrf_token": token}
    )
    assert post.status_code == 403


def test_admin_imports_ratings_from_an_uploaded_file(client, db: Database) -> None:
    from webdata import seed_rows

    room = seed_rows(db)
    register(client, "editor")
    token = csrf_token(client, "/admin")
    csv = b"domain,bias,factuality,url,date\nwire.example,-3,1,https://rater.example/wire,2026-02-01\n"
    response = client.post(
        "/admin/ratings",
        data={"provider": "csv", "csrf_token": token},
        files={"file": ("ratings.csv", csv, "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert "1 matched" in response.text
    outlet = client.get(f"/api/outlets/{room.outlet_ids['wire.example']}").json()
    assert any(r["provider"] == "csv" and r["bias_score"] == -3 for r in outlet["ratings"])


def test_admin_gets_a_readable_error_for_an_unreachable_source(client) -> None:
    register(client, "editor")
    token = csrf_token(client, "/admin")
    response = client.post(
        "/admin/sources", data={"url": "http://127.0.0.1:9/feed.xml", "csrf_token": token}
    )
    assert response.status_code == 400
    assert 'class="notice error"' in response.text


def test_create_admin_option_makes_or_promotes_an_administrator(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.cli.web_options import ADMIN_PASSWORD_ENV, create_admin_if_asked
    from newsprism.store.users import set_admin

    monkeypatch.setenv(ADMIN_PASSWORD_ENV, "a long admin password")
    create_admin_if_asked(db, "boss")
    with db.write() as conn:
        boss = authenticate(conn, "boss", "a long admin password")
        assert boss is not None and boss.is_admin
        set_admin(conn, "boss", False)
    create_admin_if_asked(db, "boss")
    with db.read() as conn:
        again = get_user_by_name(conn, "boss")
    assert again is not None and again.is_admin
    monkeypatch.setenv(ADMIN_PASSWORD_ENV, "short")
    with pytest.raises(InputError, match="--create-admin: password"):
        create_admin_if_asked(db, "other")
