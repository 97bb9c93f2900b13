"""GraphQL types of API keys and webhooks."""
