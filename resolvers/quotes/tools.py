"""The quotes area's collaborators, set up by server/app.py."""

from __future__ import annotations

from graphql import GraphQLError

from domain.quotes.sending import SendingTools
from schema.context import Info


def sending_tools(info: Info) -> SendingTools:
    tools = info.context.services.quote_sending
    if tools is None:
        raise GraphQLError("Sending quotes is not available on this server.")
    return tools
