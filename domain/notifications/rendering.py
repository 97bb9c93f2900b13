"""Rendering templates that staff write: Jinja2 in its sandbox.

Templates are shop data typed into an API, so they run in Jinja2's `SandboxedEnvironment` (no
access to Python internals, unsafe attributes raise) with a strict undefined (a misspelt
variable is an error, not an empty string). Text parts (subject, text body, SMS) are rendered
without escaping; the HTML part with autoescaping, so a customer's name or a rejection reason
can never inject markup. Every failure is a `DomainError` with a typed code and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from domain.notifications.defaults import TemplateText
from domain.notifications.errors import NotificationErrorCode
from domain.shared.errors import DomainError, ErrorCollector, ErrorDetail

_TEXT = SandboxedEnvironment(
    autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True
)
_HTML = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)

# Generous for any real message; bounds what a template is and what it can make a worker
# build. (Loops are bounded by the sandbox's range limit; templates are written by staff.)
MAX_SOURCE_CHARS = 20_000
MAX_RENDERED_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    subject: str
    body_text: str
    body_html: str | None
    sms_text: str | None


def _render_one(
    env: SandboxedEnvironment,
    source: str,
    context: dict[str, Any],
    field: str,
    errors: ErrorCollector,
) -> str:
    code = NotificationErrorCode
    if len(source) > MAX_SOURCE_CHARS:
        errors.add(code.TEMPLATE_ERROR, f"At most {MAX_SOURCE_CHARS} characters.", field)
        return ""
    try:
        out = env.from_string(source).render(context)
    except TemplateSyntaxError as exc:
        errors.add(code.TEMPLATE_SYNTAX, f"Line {exc.lineno}: {exc.message}", field)
        return ""
    except SecurityError as exc:
        errors.add(code.TEMPLATE_UNSAFE, f"Not allowed in a template: {exc}", field)
        return ""
    except UndefinedError as exc:
        errors.add(code.TEMPLATE_UNDEFINED, f"{exc.message}", field)
        return ""
    except Exception as exc:  # any other failure of a staff-written template is theirs
        errors.add(code.TEMPLATE_ERROR, f"{type(exc).__name__}: {exc}"[:300], field)
        return ""
    if len(out) > MAX_RENDERED_CHARS:
        errors.add(code.TEMPLATE_ERROR, "The rendered text is too long.", field)
    return out


def render(text: TemplateText, context: dict[str, Any]) -> RenderedMessage:
    """Render every part of ``text``; raises `DomainError` with one detail per failing part."""
    errors = ErrorCollector()
    subject = _render_one(_TEXT, text.subject, context, "subject", errors)
    body_text = _render_one(_TEXT, text.body_text, context, "bodyText", errors)
    body_html = (
        _render_one(_HTML, text.body_html, context, "bodyHtml", errors) if text.body_html else None
    )
    sms = _render_one(_TEXT, text.sms_text, context, "smsText", errors) if text.sms_text else None
    errors.raise_if_any()
    # A subject is one line whatever the template's data holds.
    return RenderedMessage(" ".join(subject.split()), body_text, body_html, sms)


def template_problems(text: TemplateText, context: dict[str, Any]) -> tuple[ErrorDetail, ...]:
    """What is wrong with ``text`` rendered with ``context`` (empty: nothing)."""
    try:
        render(text, context)
    except DomainError as exc:
        return exc.details
    return ()
