"""Notifications to people: e-mail and SMS when something happens that they care about.

The area follows the event stream (domain/events/followers.py): every kind of notification is
one registered entry (`kinds.py`: topic and condition -> template key -> recipients rule), its
text a template per channel and language (`templates.py`, defaults in `defaults.py`), its
recipients' choices per-user preferences over company defaults (`preferences.py`), and its
delivery one job per recipient and channel (`delivery.py`). Nothing imports this area.
"""
