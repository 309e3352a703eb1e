"""Mounted by modules/urls.py under /t/<slug>/m/customers/ behind the central guard."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.company_list, name="list"),
    path("new/", views.company_create, name="create"),
    path("<int:pk>/edit/", views.company_edit, name="edit"),
    path("<int:pk>/delete/", views.company_delete, name="delete"),
]
