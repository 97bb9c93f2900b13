"""The quotes area's pure rules: amounts, the state machine, visibility, expiry, signed links
and the sandboxed templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from domain.quotes.amounts import sale_net, settle_quote, vat_of, with_markup
from domain.quotes.documents import DEFAULT, Templates, render
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.expiry import is_due
from domain.quotes.links import LinkSigner
from domain.quotes.models import Quote, QuoteLine
from domain.quotes.policies import require_quote_desk, sees_quote
from domain.quotes.shop_rules import SAMPLE
from domain.quotes.state import QuoteActor, QuoteStatus, can_transition
from domain.shared.errors import DomainError

STAFF = Viewer(ViewerKind.STAFF, user_id=1, role=StaffRole.SALES)
MAKER = Viewer(ViewerKind.STAFF, user_id=2, role=StaffRole.PRODUCTION)
BUYER = Viewer(ViewerKind.PORTAL, user_id=5, company_id=7, rights=frozenset({Right.REQUEST_ORDERS}))
OTHER = Viewer(ViewerKind.PORTAL, user_id=6, company_id=8, rights=frozenset({Right.PLACE_ORDERS}))
PARTNER = Viewer(ViewerKind.SUPPLIER, supplier_id=3)


def line(**kw: object) -> QuoteLine:
    base: dict[str, object] = {
        "override_net": None,
        "cost_net": None,
        "markup_percent": None,
        "engine_net": None,
        "vat_rate_percent": Decimal(19),
    }
    return QuoteLine(**{**base, **kw})


def test_markup_and_vat_round_once_half_up_at_the_exact_rate() -> None:
    assert with_markup(32000, Decimal(25), "EUR") == 40000
    assert with_markup(333, Decimal("12.5"), "EUR") == 375  # 374.625 -> 375
    assert vat_of(10000, Decimal(19), "EUR") == 1900
    assert vat_of(1050, Decimal("7.7"), "EUR") == 81  # 80.85, never the truncated rate 7
    assert vat_of(999, Decimal("0"), "EUR") == 0


def test_the_price_that_counts_override_then_partner_then_engine() -> None:
    assert sale_net(line(engine_net=500), "EUR") == 500
    sourced = line(engine_net=500, cost_net=800, markup_percent=Decimal(25))
    assert sale_net(sourced, "EUR") == 1000
    sourced.override_net = 900
    assert sale_net(sourced, "EUR") == 900
    assert sale_net(line(), "EUR") is None


def test_totals_count_priced_lines() -> None:
    quote = Quote(currency="EUR")
    lines = [line(engine_net=10000), line(engine_net=5000, vat_rate_percent=Decimal(7)), line()]
    settle_quote(quote, lines)
    assert (quote.net_amount, quote.vat_amount, quote.gross_amount) == (15000, 2250, 17250)
    assert lines[2].net_amount is None and lines[2].vat_amount is None


def test_state_machine() -> None:
    assert can_transition(QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteActor.CUSTOMER)
    assert not can_transition(QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteActor.STAFF)
    assert can_transition(QuoteStatus.SENT, QuoteStatus.EXPIRED, QuoteActor.SYSTEM)
    assert not can_transition(QuoteStatus.ACCEPTED, QuoteStatus.ACCEPTED, QuoteActor.CUSTOMER)
    assert not can_transition(QuoteStatus.EXPIRED, QuoteStatus.ACCEPTED, QuoteActor.CUSTOMER)
    assert not can_transition(QuoteStatus.DRAFT, QuoteStatus.ACCEPTED, QuoteActor.CUSTOMER)


def test_who_sees_a_quote() -> None:
    assert sees_quote(STAFF, 7, 0, False)
    assert not sees_quote(BUYER, 7, 0, False)  # a staff draft never offered
    assert sees_quote(BUYER, 7, 1, False) and sees_quote(BUYER, 7, 0, True)
    assert not sees_quote(OTHER, 7, 1, True)
    assert not sees_quote(PARTNER, 7, 1, True)
    require_quote_desk(STAFF)
    with pytest.raises(DomainError) as refused:
        require_quote_desk(MAKER)
    assert refused.value.details[0].code is QuoteErrorCode.PERMISSION_DENIED


def test_a_sent_quote_is_due_the_day_after_its_validity() -> None:
    today = dt.date(2030, 5, 2)
    assert is_due(Quote(status=QuoteStatus.SENT, valid_until=dt.date(2030, 5, 1)), today)
    assert not is_due(Quote(status=QuoteStatus.SENT, valid_until=today), today)
    assert not is_due(Quote(status=QuoteStatus.DRAFT, valid_until=dt.date(2030, 1, 1)), today)


def test_signed_links_expire_and_name_one_revision() -> None:
    signer = LinkSigner(secret=b"k" * 32, ttl_s=60)
    expires, signature = signer.sign(4, 2, now=1000)
    assert signer.verify(4, 2, expires, signature, now=1059)
    assert not signer.verify(4, 2, expires, signature, now=1061)
    assert not signer.verify(4, 1, expires, signature, now=1000)
    assert not signer.verify(4, 2, expires + 1, signature, now=1000)
    assert not LinkSigner(secret=b"x" * 32).verify(4, 2, expires, signature, now=1000)


def test_templates_are_sandboxed_and_escaped() -> None:
    rendered = render(DEFAULT, SAMPLE)
    assert "q-1" in rendered.subject and "EUR 1.19" in rendered.html
    hostile = Templates("s", "b", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "")
    with pytest.raises(DomainError) as refused:
        render(hostile, SAMPLE)
    assert refused.value.details[0].code is QuoteErrorCode.INVALID_TEMPLATE
    values = {**SAMPLE, "company": {**SAMPLE["company"], "name": "<script>x</script>"}}  # type: ignore[dict-item]
    html = render(Templates("s", "b", "{{ company.name }}", ""), values).html
    assert html == "&lt;script&gt;x&lt;/script&gt;"
    with pytest.raises(DomainError):
        render(Templates("{% if %}", "b", "h", ""), SAMPLE)
