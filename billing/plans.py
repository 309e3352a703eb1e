"""The plan catalog: what each plan costs in Stripe, how many seats it has, what it unlocks.

Prices live in Stripe; the catalog only knows their ids, read from the environment
(STRIPE_PRICE_BASE / _PRO / _COMPANY), so test and live mode use different prices without a code
change. The amounts shown on the pricing page are display values: Stripe's price is the authority
on what is charged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BASE = "base"
PRO = "pro"
COMPANY = "company"

FEATURE_LABELS: dict[str, Promise] = {
    "members": _("Members with roles"),
    "audit_log": _("Audit log"),
    "api": _("API keys and the automation API"),
    "webhooks": _("Outbound webhooks for n8n"),
    "ai": _("AI assistant through LiteLLM"),
    "eu_models": _("EU-only AI models"),
    "priority_support": _("Priority support"),
}


@dataclass(frozen=True)
class Plan:
    code: str
    name: Promise
    seats: int
    monthly_eur: int
    features: frozenset[str]
    price_setting: str

    @property
    def price_id(self) -> str:
        return str(getattr(settings, self.price_setting, "") or "")

    @property
    def feature_labels(self) -> list[Promise]:
        return [label for key, label in FEATURE_LABELS.items() if key in self.features]

    def has_feature(self, feature: str) -> bool:
        return feature in self.features


PLANS: dict[str, Plan] = {
    BASE: Plan(
        code=BASE,
        name=_("Base"),
        seats=3,
        monthly_eur=19,
        features=frozenset({"members", "audit_log"}),
        price_setting="STRIPE_PRICE_BASE",
    ),
    PRO: Plan(
        code=PRO,
        name=_("Pro"),
        seats=10,
        monthly_eur=49,
        features=frozenset({"members", "audit_log", "api", "webhooks", "ai"}),
        price_setting="STRIPE_PRICE_PRO",
    ),
    COMPANY: Plan(
        code=COMPANY,
        name=_("Company"),
        seats=30,
        monthly_eur=149,
        features=frozenset(
            {"members", "audit_log", "api", "webhooks", "ai", "eu_models", "priority_support"}
        ),
        price_setting="STRIPE_PRICE_COMPANY",
    ),
}
PLAN_CHOICES = [(plan.code, plan.name) for plan in PLANS.values()]


def plan_get(code: str) -> Plan:
    """The plan for `code`; KeyError for an unknown code."""
    return PLANS[code]


def plan_for_price(price_id: str) -> Plan | None:
    """The plan whose Stripe price is `price_id`, or None (a price this catalog does not sell)."""
    for plan in PLANS.values():
        if plan.price_id and plan.price_id == price_id:
            return plan
    return None
