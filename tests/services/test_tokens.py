"""Personal API tokens: created once, stored as a hash, refused when revoked, expired
or their account deactivated, ``last_used_at`` written at most every few minutes."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import InputError, NotFound, SignInRequired
from translator.models import ApiToken, TokenScope
from translator.models._types import utcnow
from translator.services.tokens import (
    USED_EVERY,
    authenticate_token,
    create_token,
    list_tokens,
    revoke_token,
    token_state,
)


@pytest.fixture
def ana(create_user: Any) -> Any:
    return create_user("ana@example.org")


def test_a_token_is_shown_once_and_kept_only_as_its_hash(ana: Any, db: Any) -> None:
    row, token = create_token(ana, "  nightly export  ", "read")
    db.session.commit()
    assert token.startswith(row.prefix + "_") and len(token) == len(row.prefix) + 1 + 43
    assert (row.name, row.scope, row.user_id) == ("nightly export", TokenScope.READ, ana.id)
    stored = db.session.execute(sa.select(ApiToken.__table__)).one()._asdict()
    assert token not in [str(value) for value in stored.values()]
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    found = authenticate_token(token)
    assert found.id == row.id and found.user.email == "ana@example.org"
    _other, second = create_token(ana, "another", "write")
    assert second != token  # each token is new randomness


def test_what_a_token_needs(ana: Any, db: Any) -> None:
    with pytest.raises(InputError) as blank:
        create_token(ana, "   ", "read")
    assert blank.value.field == "name"
    with pytest.raises(InputError) as long:
        create_token(ana, "x" * 101, "read")
    assert long.value.field == "name"
    with pytest.raises(InputError) as scope:
        create_token(ana, "script", "admin")
    assert scope.value.field == "scope" and "'read' or 'write'" in scope.value.message
    with pytest.raises(InputError) as past:
        create_token(ana, "script", "read", expires_at=utcnow() - timedelta(seconds=1))
    assert past.value.field == "expires_at"


@pytest.mark.parametrize(
    "garbage",
    ["", "tr_", "Bearer", "tr_zzzzzzzz_" + "a" * 43, "tr_0123abcd_" + "a" * 42, "x" * 5000],
)
def test_anything_but_a_token_is_refused_without_a_lookup(db: Any, garbage: str) -> None:
    with pytest.raises(SignInRequired) as refused:
        authenticate_token(garbage)
    assert refused.value.field == "Authorization"


def test_an_unknown_revoked_or_expired_token_is_refused_saying_why(ana: Any, db: Any) -> None:
    row, token = create_token(ana, "script", "write")
    db.session.commit()
    unknown = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    with pytest.raises(SignInRequired, match="unknown API token"):
        authenticate_token(unknown)
    revoked = revoke_token(row.id, user=ana)
    db.session.commit()
    assert token_state(revoked) == "revoked"
    with pytest.raises(SignInRequired, match="revoked"):
        authenticate_token(token)
    again = revoke_token(row.id)  # revoking twice changes nothing
    assert again.revoked_at == revoked.revoked_at

    late, late_token = create_token(
        ana, "short-lived", "read", expires_at=utcnow() + timedelta(hours=1)
    )
    db.session.commit()
    assert token_state(late) == "active"
    late.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert token_state(late) == "expired"
    with pytest.raises(SignInRequired, match="expired"):
        authenticate_token(late_token)


def test_a_deactivated_account_s_tokens_stop_working(ana: Any, db: Any) -> None:
    _row, token = create_token(ana, "script", "read")
    ana.active = False
    db.session.commit()
    with pytest.raises(SignInRequired, match="deactivated"):
        authenticate_token(token)
    ana.active = True
    db.session.commit()
    assert authenticate_token(token).user_id == ana.id


def test_last_used_is_written_at_most_every_few_minutes(ana: Any, db: Any) -> None:
    row, token = create_token(ana, "script", "read")
    db.session.commit()
    assert row.last_used_at is None

    def last_used() -> Any:
        return db.session.scalar(
            sa.select(ApiToken.__table__.c.last_used_at).where(ApiToken.id == row.id)
        )

    authenticate_token(token)
    first = last_used()
    assert first is not None
    authenticate_token(token)  # soon after: not written again
    assert last_used() == first
    long_ago = utcnow() - USED_EVERY - timedelta(seconds=5)
    db.session.execute(
        sa.update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=long_ago)
    )
    db.session.commit()
    db.session.expire_all()
    authenticate_token(token)
    assert last_used() != first and last_used() is not None


def test_listing_and_revoking_are_per_user(ana: Any, create_user: Any, db: Any) -> None:
    bea = create_user("bea@example.org")
    older, _ = create_token(ana, "older", "read")
    newer, _ = create_token(ana, "newer", "write")
    theirs, _ = create_token(bea, "bea's", "read")
    db.session.commit()
    assert [t.id for t in list_tokens(ana)] == [newer.id, older.id]
    assert [t.id for t in list_tokens(bea)] == [theirs.id]
    with pytest.raises(NotFound):
        revoke_token(theirs.id, user=ana)  # someone else's: as if it did not exist
    assert token_state(theirs) == "active"
    with pytest.raises(NotFound):
        revoke_token(999_999)
