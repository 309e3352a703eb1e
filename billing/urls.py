"""Billing pages inside a tenant (/t/<slug>/billing/...)."""

from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/success/", views.checkout_success, name="checkout-success"),
    path("portal/", views.portal, name="portal"),
    path("plan/", views.change_plan, name="change-plan"),
    path("cancel/", views.cancel, name="cancel"),
    path("reactivate/", views.reactivate, name="reactivate"),
]
