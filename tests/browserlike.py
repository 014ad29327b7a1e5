"""A test client that does what a browser does when a form is answered by a redirect.

Client and public forms answer a POST with 303 See Other to the same
address and the page on the GET that follows (clinic.middleware.
AnswerByRedirectMiddleware). A browser follows that redirect at once; this
client does too, so a test reads the answer a person sees. It follows only
that one redirect (a 303 back to the address posted to), never a redirect
elsewhere, and marks the response so a test can tell. The redirect itself
is tested with Django's plain client in tests/security/test_answer_by_redirect.py.
"""

from django.test import Client


class BrowserLikeClient(Client):
    def post(self, path, *args, **kwargs):
        response = super().post(path, *args, **kwargs)
        location = response.headers.get("Location")
        if response.status_code != 303 or kwargs.get("follow") or location is None:
            return response
        if location != response.wsgi_request.get_full_path():
            return response
        answer = self.get(location, headers=kwargs.get("headers"))
        answer.answered_by_redirect = True
        return answer
