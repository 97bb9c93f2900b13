"""Background jobs as staff see them: listing, retrying a failed one (the port is
domain/shared/jobs.py)."""
