"""gunicorn settings for Fulcrum, all from the environment (see README, "Production deployment").

Threaded workers: each process keeps one PostgreSQL connection pool
(DB_POOL_MAX connections) shared by its threads, so WEB_CONCURRENCY times
DB_POOL_MAX must stay below the server's max_connections (100 by default).
"""

import os

from gunicorn import glogging

from clinic.lib.logs import RedactSecrets

_cores = os.cpu_count() or 1

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A PDF of a long record is the slowest request (a few seconds); anything near this is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so no slow leak can grow for ever.
max_requests = 2000
max_requests_jitter = 200
# Each worker loads the app itself, after the fork: nothing opened before it (such as
# the database pool and its threads) is shared by accident.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No query string and no referrer: they can carry what people typed. Whatever the format, every line
# passes through Logger below.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class Logger(glogging.Logger):
    """gunicorn's access and error logs, each line cut as Django's are (clinic.lib.logs: declared secret
    address parts, query strings, exception messages)."""

    # Atoms that are secrets or typed words whole, with no "?" or address around them for the cut to find.
    WITHOUT_CONTEXT = (
        *("q", "{query_string}e", "{set-cookie}o"),
        *("{cookie}i", "{authorization}i", "{x-csrftoken}i"),
        *("{http_cookie}e", "{http_authorization}e", "{http_x_csrftoken}e"),
    )

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in self.WITHOUT_CONTEXT:
            if atoms.get(key):
                atoms[key] = "…"
        return atoms

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                    handler.addFilter(RedactSecrets())


logger_class = Logger
