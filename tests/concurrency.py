"""Running requests or calls at the same moment, for the race tests (PostgreSQL)."""

import threading

from django.db import connections


def at_once(*jobs) -> list:
    """Run the jobs in threads released together; each closes its own connection. Results (or errors) in order."""
    start, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(i, job):
        try:
            start.wait()
            results[i] = job()
        except Exception as error:  # reported to the test that asked
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
