"""One-time links (invitations, password resets) and the administration of accounts:
stored as hashes, single use, expiring, replaced by a newer one; deactivation ends
sessions; the last administrator stays."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from translator.errors import Conflict, InputError, TooManyAttempts
from translator.models import LinkPurpose, OneTimeLink, User, UserSession
from translator.models._types import utcnow
from translator.services.invitations import invite_user, resend_invitation
from translator.services.links import (
    LinkRefused,
    find_link,
    pending_invitations,
    request_reset,
    use_link,
)
from translator.services.sessions import authenticate, load_session_user, start_session
from translator.services.users import (
    deactivate_user,
    list_users,
    reactivate_user,
    set_role,
    suggest_users,
)

INVITE, RESET = LinkPurpose.INVITATION, LinkPurpose.PASSWORD_RESET


@pytest.fixture
def admin(create_user: Any) -> Any:
    return create_user("admin@example.org", is_admin=True)


def test_an_invitation_is_kept_as_a_hash_and_sets_up_the_account_once(admin: Any, db: Any) -> None:
    issued = invite_user("Lea@Example.org ", invited_by=admin, display_name="Léa", locale="fr")
    db.session.commit()
    user = issued.link.user
    assert (user.email, user.display_name, user.locale, user.is_admin) == (
        "lea@example.org",
        "Léa",
        "fr",
        False,
    )
    stored = db.session.execute(sa.select(OneTimeLink.__table__)).one()._asdict()
    assert issued.token not in [str(value) for value in stored.values()]
    assert stored["token_hash"] == hashlib.sha256(issued.token.encode()).hexdigest()
    assert stored["created_by"] == admin.id
    lifetime = issued.link.expires_at - issued.link.created_at
    assert lifetime == timedelta(days=7)
    # Nobody can sign in before the link is used.
    assert pending_invitations([user.id]).keys() == {user.id}
    assert authenticate("lea@example.org", "", address="1.2.3.4") is None

    signed_in = use_link(issued.token, INVITE, "a new password", display_name="Léa Martin")
    db.session.commit()
    assert signed_in.id == user.id and signed_in.display_name == "Léa Martin"
    assert authenticate("lea@example.org", "a new password", address="1.2.3.4") is not None
    assert pending_invitations([user.id]) == {}
    with pytest.raises(LinkRefused) as refused:
        use_link(issued.token, INVITE, "another password")
    assert refused.value.reason == "used"


def test_a_link_is_refused_when_expired_unknown_of_another_purpose_or_inactive(
    admin: Any, db: Any
) -> None:
    issued = invite_user("lea@example.org", invited_by=admin)
    with pytest.raises(LinkRefused) as refused:
        find_link(issued.token, RESET)  # an invitation is no reset link
    assert refused.value.reason == "unknown"
    with pytest.raises(LinkRefused) as refused:
        find_link("x" * 43, INVITE)
    assert refused.value.reason == "unknown"
    issued.link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    with pytest.raises(LinkRefused) as refused:
        use_link(issued.token, INVITE, "a new password")
    assert refused.value.reason == "expired"
    issued.link.expires_at = utcnow() + timedelta(hours=1)
    deactivate_user(issued.link.user, by=admin)
    with pytest.raises(LinkRefused) as refused:
        find_link(issued.token, INVITE)
    assert refused.value.reason == "inactive"


def test_a_short_password_leaves_the_link_unused(admin: Any, db: Any) -> None:
    issued = invite_user("lea@example.org", invited_by=admin)
    with pytest.raises(InputError) as error:
        use_link(issued.token, INVITE, "short")
    assert error.value.field == "password"
    assert find_link(issued.token, INVITE).used_at is None


def test_a_new_reset_replaces_older_ones_and_using_it_ends_every_session(
    admin: Any, create_user: Any, db: Any
) -> None:
    ana = create_user("ana@example.org")
    keys = [start_session(ana, remember=False) for _ in range(2)]
    first = request_reset("ANA@example.org", address="1.2.3.4")
    second = request_reset("ana@example.org", address="1.2.3.4")
    assert first is not None and second is not None
    assert second.link.expires_at - second.link.created_at == timedelta(hours=1)
    with pytest.raises(LinkRefused) as refused:
        find_link(first.token, RESET)
    assert refused.value.reason == "replaced"
    user = use_link(second.token, RESET, "brand new password")
    db.session.commit()
    assert user.id == ana.id
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0
    assert all(load_session_user(f"{ana.id}:{key}") is None for key in keys)
    assert authenticate("ana@example.org", "brand new password", address="1.2.3.4")


def test_a_reset_for_an_unknown_address_issues_nothing_and_requests_are_throttled(
    create_user: Any, db: Any
) -> None:
    create_user("ana@example.org")
    assert request_reset("nobody@example.org", address="1.2.3.4") is None
    for _ in range(5):  # ACCOUNT_LIMIT
        assert request_reset("ana@example.org", address="5.6.7.8") is not None
    with pytest.raises(TooManyAttempts):
        request_reset("ana@example.org", address="5.6.7.8")
    # Reset requests never lock the account's sign-in.
    assert authenticate("ana@example.org", "correct horse", address="9.9.9.9") is not None


def test_resending_an_invitation_replaces_the_link_until_the_account_is_set_up(
    admin: Any, db: Any
) -> None:
    first = invite_user("lea@example.org", invited_by=admin)
    second = resend_invitation(first.link.user, invited_by=admin)
    with pytest.raises(LinkRefused):
        find_link(first.token, INVITE)
    use_link(second.token, INVITE, "a new password")
    with pytest.raises(Conflict):
        resend_invitation(first.link.user, invited_by=admin)


def test_inviting_an_existing_address_or_a_bad_one_is_refused(admin: Any, db: Any) -> None:
    with pytest.raises(Conflict):
        invite_user("ADMIN@example.org", invited_by=admin)
    with pytest.raises(InputError) as error:
        invite_user("not an address", invited_by=admin)
    assert error.value.field == "email"
    with pytest.raises(InputError) as error:
        invite_user("lea@example.org", invited_by=admin, role="emperor")
    assert error.value.field == "role"


def test_deactivation_ends_sessions_keeps_tokens_and_spares_oneself_and_the_last_admin(
    admin: Any, create_user: Any, db: Any
) -> None:
    from translator.services.tokens import create_token

    ana = create_user("ana@example.org")
    key = start_session(ana, remember=True)
    token_row, _token = create_token(ana, "script", "read")
    assert deactivate_user(ana, by=admin) == 1
    db.session.commit()
    assert load_session_user(f"{ana.id}:{key}") is None
    assert db.session.get(type(token_row), token_row.id).revoked_at is None
    assert authenticate("ana@example.org", "correct horse", address="1.1.1.1") is None
    reactivate_user(ana)
    assert authenticate("ana@example.org", "correct horse", address="1.1.1.2") is not None

    with pytest.raises(Conflict):
        deactivate_user(admin, by=admin)
    with pytest.raises(Conflict):
        deactivate_user(admin, by=ana)  # the last administrator
    with pytest.raises(Conflict):
        set_role(admin, "member", by=admin)
    set_role(ana, "administrator", by=admin)
    set_role(admin, "coordinator", by=ana)  # another administrator remains
    assert (admin.is_admin, admin.is_coordinator, ana.is_admin) == (False, True, True)
    set_role(admin, "member", by=ana)
    assert (admin.is_admin, admin.is_coordinator) == (False, False)


def test_the_user_list_and_suggestions(admin: Any, create_user: Any, db: Any) -> None:
    create_user("bruno@example.org", display_name="Bruno Costa")
    gone = create_user("brunhilde@example.org")
    deactivate_user(gone, by=admin)
    start_session(admin, remember=False)
    rows = {user.email: seen for user, seen in list_users()}
    assert set(rows) == {"admin@example.org", "bruno@example.org", "brunhilde@example.org"}
    assert rows["admin@example.org"] is not None and rows["bruno@example.org"] is None
    assert [u.email for u in suggest_users("COST")] == ["bruno@example.org"]
    assert [u.email for u in suggest_users("bru")] == ["bruno@example.org"]  # active only
    assert suggest_users("b") == []  # too short to say anything
    assert suggest_users("%") == [] and suggest_users("_%") == []
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 3
