from django.urls import path

from clinic.plans import exercise_views as views

urlpatterns = [
    # The practice library (therapists and admins).
    path("practice/exercises/", views.exercise_library, name="exercise_library"),
    path("practice/exercises/new/", views.exercise_new, name="exercise_new"),
    path("practice/exercises/<uuid:code>/", views.exercise_edit, name="exercise_edit"),
    # Assigning (the case's primary therapist).
    path("cases/<uuid:code>/practice/new/", views.assignment_new, name="assignment_new"),
    path("practice/assignments/<uuid:code>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
    # The client's own: neutral paths.
    path("my/practice/<uuid:code>/", views.my_practice, name="my_practice"),
    path("my/practice/<uuid:code>/save/", views.checkin_autosave, name="checkin_autosave"),
]
