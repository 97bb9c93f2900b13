"""GraphQL types of the change feed."""
