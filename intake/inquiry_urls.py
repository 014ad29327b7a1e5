"""URLs of the public "Get started" form and the admins' inquiry triage."""

urlpatterns: list = []
