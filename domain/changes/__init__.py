"""Change feeds for synchronisation: what changed, in an order a reader can resume from."""
