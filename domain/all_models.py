"""Imports every area's models so the metadata (Alembic's target) knows all tables."""

from domain.accounts import models as accounts_models
from domain.billing import models as billing_models
from domain.catalog import models as catalog_models
from domain.changes import models as changes_models
from domain.events import models as events_models
from domain.fulfilment import models as fulfilment_models
from domain.integrations import models as integrations_models
from domain.jobs import models as jobs_models
from domain.laser import models as laser_models
from domain.mail import models as mail_models
from domain.notifications import models as notifications_models
from domain.orders import models as orders_models
from domain.payments import models as payments_models
from domain.production import models as production_models
from domain.quotes import models as quotes_models
from domain.routing import models as routing_models
from domain.shared.models import Base
from domain.stock import models as stock_models

__all__ = [
    "Base",
    "accounts_models",
    "billing_models",
    "catalog_models",
    "changes_models",
    "events_models",
    "fulfilment_models",
    "integrations_models",
    "jobs_models",
    "laser_models",
    "mail_models",
    "notifications_models",
    "orders_models",
    "payments_models",
    "production_models",
    "quotes_models",
    "routing_models",
    "stock_models",
]
