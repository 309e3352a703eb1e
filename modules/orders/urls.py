"""Mounted by modules/urls.py under /t/<slug>/m/orders/ behind the central guard."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("<int:pk>/edit/", views.order_edit, name="edit"),
    path("<int:pk>/delete/", views.order_delete, name="delete"),
]
