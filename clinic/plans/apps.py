from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "clinic.plans"
    label = "plans"
    verbose_name = "Treatment plans and between-session practice"
