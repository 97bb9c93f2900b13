"""Pure rules of the accounts area: who may act where, and the format checks. No database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.dialects import postgresql

from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import Company, PortalUser
from domain.accounts.policies import (
    CUSTOMER_ADMIN_ROLES,
    can_see_company,
    can_see_finances,
    company_fields_for,
    company_scope,
    is_staff_with,
    may_act_in_company,
    require_right,
    require_staff_role,
    staff_only,
)
from domain.accounts.rights import ALL_RIGHTS, Right, StaffRole
from domain.accounts.validation import (
    check_customer_code,
    check_email,
    check_max_length,
    check_required,
    check_sub_account_name,
    iban_valid,
)
from domain.accounts.viewer import ANONYMOUS, Viewer, ViewerKind
from domain.shared.errors import DomainError, ErrorCollector

ACME, GLOBEX = 1, 2


def portal(company_id: int | None = ACME, *rights: Right) -> Viewer:
    return Viewer(
        ViewerKind.PORTAL,
        user_id=10,
        company_id=company_id,
        rights=frozenset(rights),
        session_id=uuid.uuid4(),
    )


def staff(role: StaffRole) -> Viewer:
    return Viewer(ViewerKind.STAFF, user_id=1, role=role, session_id=uuid.uuid4())


def sql(expr: object) -> str:
    compiled = expr.compile(  # type: ignore[attr-defined]
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


# --- may_act_in_company and require_right ----------------------------------------------------


@pytest.mark.parametrize("role", list(StaffRole))
@pytest.mark.parametrize("company", [ACME, GLOBEX])
@pytest.mark.parametrize("right", list(Right))
def test_staff_act_in_every_company_by_role_only(role, company, right) -> None:  # type: ignore[no-untyped-def]
    expected = role in (StaffRole.ADMIN, StaffRole.SALES)
    assert may_act_in_company(staff(role), company, right) is expected


@pytest.mark.parametrize("right", list(Right))
def test_portal_user_acts_in_own_company_with_the_right(right) -> None:  # type: ignore[no-untyped-def]
    assert may_act_in_company(portal(ACME, right), ACME, right) is True
    # Every other right does not count.
    others = frozenset(ALL_RIGHTS) - {right}
    assert may_act_in_company(portal(ACME, *others), ACME, right) is False
    # Not even every right counts in another company.
    assert may_act_in_company(portal(GLOBEX, *ALL_RIGHTS), ACME, right) is False
    assert may_act_in_company(portal(None, *ALL_RIGHTS), ACME, right) is False
    assert may_act_in_company(ANONYMOUS, ACME, right) is False


def test_staff_viewer_with_rights_or_company_does_not_act_as_portal_user() -> None:
    # A malformed staff viewer carrying portal attributes gains nothing from them.
    odd = Viewer(
        ViewerKind.STAFF, user_id=1, company_id=ACME, rights=ALL_RIGHTS, role=StaffRole.PRODUCTION
    )
    assert may_act_in_company(odd, ACME, Right.MANAGE_USERS) is False
    assert odd.has(Right.MANAGE_USERS) is False


def test_require_right_raises_permission_denied() -> None:
    require_right(portal(ACME, Right.MANAGE_USERS), ACME, Right.MANAGE_USERS)
    require_right(staff(StaffRole.SALES), GLOBEX, Right.MANAGE_COMPANY)
    with pytest.raises(DomainError) as portal_exc:
        require_right(portal(ACME, Right.PLACE_ORDERS), ACME, Right.MANAGE_USERS)
    [detail] = portal_exc.value.details
    assert detail.code is AccountErrorCode.PERMISSION_DENIED
    assert detail.message == "You need the right MANAGE_USERS for this."
    assert detail.field is None
    with pytest.raises(DomainError) as staff_exc:
        require_right(staff(StaffRole.PRODUCTION), ACME, Right.MANAGE_USERS)
    assert staff_exc.value.details[0].message == "Your staff role does not allow this."


def test_require_staff_role() -> None:
    require_staff_role(staff(StaffRole.ADMIN), CUSTOMER_ADMIN_ROLES)
    require_staff_role(staff(StaffRole.SALES), CUSTOMER_ADMIN_ROLES)
    for viewer in (
        staff(StaffRole.PRODUCTION),
        staff(StaffRole.ACCOUNTING),
        portal(ACME, *ALL_RIGHTS),
        ANONYMOUS,
    ):
        with pytest.raises(DomainError) as exc:
            require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
        [detail] = exc.value.details
        assert detail.code is AccountErrorCode.PERMISSION_DENIED
        assert detail.message == "Requires a staff role: ADMIN, SALES."
    assert is_staff_with(staff(StaffRole.ADMIN), frozenset({StaffRole.ADMIN})) is True
    assert is_staff_with(staff(StaffRole.SALES), frozenset({StaffRole.ADMIN})) is False


# --- visibility -------------------------------------------------------------------------------


def test_can_see_company() -> None:
    assert can_see_company(staff(StaffRole.PRODUCTION), GLOBEX) is True
    assert can_see_company(portal(ACME), ACME) is True  # no right needed to see one's own
    assert can_see_company(portal(ACME, *ALL_RIGHTS), GLOBEX) is False
    assert can_see_company(ANONYMOUS, ACME) is False


@pytest.mark.parametrize(
    ("viewer", "company", "expected"),
    [
        (staff(StaffRole.PRODUCTION), ACME, True),
        (portal(ACME, Right.VIEW_FINANCES), ACME, True),
        (portal(ACME, Right.MANAGE_COMPANY), ACME, True),
        (portal(ACME, Right.REQUEST_ORDERS, Right.PLACE_ORDERS, Right.MANAGE_USERS), ACME, False),
        (portal(ACME), ACME, False),
        (portal(GLOBEX, Right.VIEW_FINANCES), ACME, False),
        (ANONYMOUS, ACME, False),
    ],
)
def test_can_see_finances(viewer, company, expected) -> None:  # type: ignore[no-untyped-def]
    assert can_see_finances(viewer, company) is expected


def test_company_scope_filters_by_tenant() -> None:
    assert sql(company_scope(staff(StaffRole.PRODUCTION), Company.id)) == "true"
    assert sql(company_scope(portal(ACME), Company.id)) == "company.id = 1"
    assert sql(company_scope(portal(GLOBEX), PortalUser.company_id)) == "portal_user.company_id = 2"
    assert sql(company_scope(portal(None), Company.id)) == "false"
    assert sql(company_scope(ANONYMOUS, Company.id)) == "false"


def test_staff_only_filter() -> None:
    assert sql(staff_only(staff(StaffRole.PRODUCTION))) == "true"
    assert sql(staff_only(portal(ACME, *ALL_RIGHTS))) == "false"
    assert sql(staff_only(ANONYMOUS)) == "false"


def test_company_fields_for() -> None:
    own = {
        "name", "vat_id", "contact_name", "contact_email", "contact_phone",
        "bank_account_holder", "bank_iban", "bank_bic", "addresses",
    }  # fmt: skip
    commercial = {"code", "portal_enabled", "customer_group_id", "markup_percent", "legal_form"}
    assert company_fields_for(portal(ACME, *ALL_RIGHTS)) == own
    assert company_fields_for(staff(StaffRole.SALES)) == own | commercial


# --- validation -------------------------------------------------------------------------------


def codes(run) -> list[tuple[AccountErrorCode, tuple[str, ...] | None]]:  # type: ignore[no-untyped-def]
    errors = ErrorCollector()
    run(errors)
    return [(d.code, d.field) for d in errors.details]


@pytest.mark.parametrize("code", ["a", "acme", "acme-2", "a1", "x-y-z", "a" * 40, "a-"])
def test_valid_customer_codes(code) -> None:  # type: ignore[no-untyped-def]
    assert codes(lambda e: check_customer_code(e, code)) == []


@pytest.mark.parametrize(
    "code",
    ["", "Acme", "ACME", "1acme", "-acme", "ac me", " acme", "acme\n", "müller", "ac_me", "ac.me",
     "a" * 41],
)  # fmt: skip
def test_invalid_customer_codes(code) -> None:  # type: ignore[no-untyped-def]
    assert codes(lambda e: check_customer_code(e, code, "customerCode")) == [
        (AccountErrorCode.INVALID_CUSTOMER_CODE, ("customerCode",))
    ]


def test_sub_account_names() -> None:
    for ok in ("carol", "c", "carol_smith", "carol-2", "a" * 50):
        assert codes(lambda e, n=ok: check_sub_account_name(e, n)) == [], ok
    for bad in ("", "Carol", "2carol", "_carol", "carol.smith", "carol smith", "a" * 51):
        assert codes(lambda e, n=bad: check_sub_account_name(e, n)) == [
            (AccountErrorCode.INVALID_LOGIN_NAME, ("name",))
        ], bad


def test_email() -> None:
    for ok in ("a@b.de", "first.last+tag@sub.example.com", None):
        assert codes(lambda e, v=ok: check_email(e, v)) == [], ok
    for bad in ("", "a@b", "a b@c.de", "@c.de", "a@@c.de", "a@" + "b" * 250 + ".de"):
        assert codes(lambda e, v=bad: check_email(e, v, "contactEmail")) == [
            (AccountErrorCode.INVALID_EMAIL, ("contactEmail",))
        ], bad


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "de89370400440532013000",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "CH9300762011623852957",
    ],
)
def test_valid_ibans(iban) -> None:  # type: ignore[no-untyped-def]
    assert iban_valid(iban) is True


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013001",  # one digit off
        "DE98370400440532013000",  # check digits swapped
        "GB82WEST12345698765423",  # two digits swapped
        "DE8937040044",  # too short
        "DEXX370400440532013000",  # letters as check digits
        "D989370400440532013000",
        "DE89-3704-0044-0532-0130-00",
        "",
    ],
)
def test_invalid_ibans(iban) -> None:  # type: ignore[no-untyped-def]
    assert iban_valid(iban) is False


def test_required_and_max_length() -> None:
    assert codes(lambda e: check_required(e, "x", "name", "The name")) == []
    for empty in (None, "", "   "):
        assert codes(lambda e, v=empty: check_required(e, v, "name", "The name")) == [
            (AccountErrorCode.REQUIRED, ("name",))
        ]
    assert codes(lambda e: check_max_length(e, "n" * 200, Company.name, "name")) == []
    assert codes(lambda e: check_max_length(e, " n " * 67, Company.name, "name")) == []
    assert codes(lambda e: check_max_length(e, None, Company.name, "name")) == []
    assert codes(lambda e: check_max_length(e, "n" * 201, Company.name, "name")) == [
        (AccountErrorCode.INVALID, ("name",))
    ]
    assert codes(lambda e: check_max_length(e, "1" * 41, Company.contact_phone, "phone")) == [
        (AccountErrorCode.INVALID, ("phone",))
    ]


def test_no_escalation_portal_users_grant_only_rights_they_hold() -> None:
    from domain.accounts.policies import may_grant
    from domain.accounts.rights import Right, StaffRole
    from domain.accounts.viewer import Viewer, ViewerKind

    manager = Viewer(
        ViewerKind.PORTAL,
        user_id=1,
        company_id=1,
        rights=frozenset({Right.MANAGE_USERS, Right.REQUEST_ORDERS}),
    )
    assert may_grant(manager, ["REQUEST_ORDERS"])
    assert may_grant(manager, ["MANAGE_USERS", "REQUEST_ORDERS"])
    assert not may_grant(manager, ["MANAGE_USERS", "MANAGE_GROUPS"])
    assert not may_grant(manager, ["PLACE_ORDERS"])
    staff = Viewer(ViewerKind.STAFF, user_id=9, role=StaffRole.SALES)
    assert may_grant(staff, [r.value for r in Right])
    assert not may_grant(Viewer(ViewerKind.ANONYMOUS), [])
