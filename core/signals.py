"""Signals that let apps react to lifecycle events without importing each other.

Senders fire them inside the transaction of the change; receivers that talk to the outside world
(Redis, LiteLLM, e-mail) should defer with transaction.on_commit.
"""

from django.dispatch import Signal

# The tenant's schema was archived and dropped. kwargs: tenant (the Tenant row, now in state
# "deleted"), user_ids (ids of its former members), deleted_user_ids (users deleted with it).
tenant_deleted = Signal()

# A member lost access to a tenant (suspended or removed). kwargs: tenant, user, reason.
membership_revoked = Signal()
