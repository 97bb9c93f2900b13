"""Machine clients of customers and of the shop: API keys, webhooks and their deliveries."""
