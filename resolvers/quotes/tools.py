"""The quotes area's collaborators kept in AppServices.extras (set up by server/app.py)."""

from __future__ import annotations

from domain.quotes.sending import SendingTools
from resolvers.context import Info

SENDING = "quote_sending"
LINKS = "quote_links"


def sending_tools(info: Info) -> SendingTools:
    tools: SendingTools = info.context.services.extras[SENDING]
    return tools
