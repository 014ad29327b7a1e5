from django.urls import path

from clinic.plans import progress

urlpatterns = [
    path("my/goals/", progress.my_goals, name="my_goals"),
]
