"""Load test against the production run (gunicorn + PostgreSQL pool + worker), loopback only.

    .venv/bin/python bench/load.py                      # 50 clients, 10 therapists, 300 s
    .venv/bin/python bench/load.py --duration 30 --clients 10 --therapists 2
    .venv/bin/python bench/load.py --db-restart-at 60   # the database restarts mid-load

It creates a scratch database, runs bin/release, starts bin/web and
bin/worker exactly as production does (DEBUG off, two-factor on), seeds
people directly, then drives real HTTP as browsers behind the TLS proxy do:

- clients sign in, fill the seven intake pages (autosaving as they type),
  sign and send (one in five double-clicks), then answer both questionnaires
  (autosaving, some sent twice) and sign out; then the next client;
- therapists sign in with a TOTP code, open the dashboard and a case, add a
  session, write its note (autosaving with the version), and sign it.

Then a throughput phase compares the intake page with /healthz (a minimal
view: every middleware, one trivial query) under the same concurrency. At
the end every record the simulated people were told was saved is counted
in the database: nothing lost, nothing doubled. Exit status 1 if anything
was lost or doubled, or a request failed outside a database restart.
"""

import argparse
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ops.browser import Browser, totp_code  # noqa: E402

PASSWORD = "load-test-" + secrets.token_urlsafe(12)
QUESTION_LINK = re.compile(r'href="(/my/questions/[0-9a-f-]{36}/)"')
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')
ROUNDS = 5  # turns of the throughput phase
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')

# What a client types on each intake page, field by field (the last value of a field is what counts).
SECTIONS = [
    {"legal_name": "{name}", "preferred_name": "", "pronouns": "they/them", "date_of_birth": "1990-02-03",
     "email": "{user}@example.org", "phone": "(213) 555-0123"},
    {"may_call": "on", "safe_phone": "(213) 555-0123", "safe_times": "Weekday mornings"},
    {"name": "Priya Shah", "relationship": "friend", "phone": "(213) 555-0199", "knows_about_care": "on"},
    {"reasons": "We keep having the same argument about money and who decides things.",
     "goals": "To talk without it turning into a fight.", "previous_therapy": "no"},
    {"length": "9 years", "living": "together", "children": "One daughter, 6.", "who_suggested": "me",
     "decisions": "Mostly my partner decides about money."},
    {"current_care": "GP only.", "medication": "", "difficult_experiences": ""},
]  # fmt: skip


class Run:
    """Shared state of one run: timings, failures, and what people were told was saved."""

    def __init__(self, base: str):
        self.base = base
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.failures: Counter = Counter()
        self.failure_samples: dict[str, str] = {}
        self.outage_answers: Counter = Counter()
        self.outage = (0.0, 0.0)  # monotonic window in which the database was restarting
        self.stop = threading.Event()
        self.intakes: set[str] = set()
        self.screenings: set[str] = set()
        self.notes: dict[str, str] = {}  # session code -> text the therapist signed
        self.sessions: set[str] = set()
        self.drafts: dict[str, tuple[int, str, str]] = {}  # client -> (step, field, last saved text)

    def in_outage(self, started: float) -> bool:
        begin, end = self.outage
        return begin and begin - 1 <= started <= (end or time.monotonic()) + 10


class Failed(Exception):
    pass


def call(run: Run, browser: Browser, method: str, path: str, label: str, ok=(200,), form=None, json_ok=False):
    """One request as a page makes it; a failed one is retried like the page would (the database may be restarting)."""
    for attempt in range(8):
        started = time.monotonic()
        try:
            if method == "GET":
                response = browser.get(path, label=label)
            else:
                headers = {"Accept": "application/json"} if json_ok else None
                response = browser.post_form(path, form or {}, label=label, headers=headers)
        except OSError as error:
            response, problem = None, f"{type(error).__name__}"
        else:
            problem = None if response.status in ok else f"HTTP {response.status}"
        if problem is None:
            return response
        with run.lock:
            if run.in_outage(started):
                friendly = response is not None and response.status == 503 and "Traceback" not in response.text
                run.outage_answers["503 calm page" if friendly else problem] += 1
            else:
                run.failures[label] += 1
                run.failure_samples.setdefault(
                    label, f"{method} {path}: {problem} {response.text[:300] if response else ''}"
                )
        if run.stop.is_set() and attempt >= 1:
            break
        time.sleep(min(5, 0.5 * 2**attempt))
    raise Failed(label)


def think(run: Run, low: float, high: float) -> None:
    run.stop.wait(random.uniform(low, high))


def client_flow(run: Run, username: str, full_name: str) -> None:
    b = Browser(run.base, run.timings)
    try:
        call(run, b, "GET", "/account/login/", "sign in")
        call(run, b, "POST", "/account/login/", "sign in", ok=(302,), form={"username": username, "password": PASSWORD})
        call(run, b, "GET", "/my/", "client home")
        for step, fields in enumerate(SECTIONS, start=1):
            page = f"/my/forms/{step}/"
            call(run, b, "GET", page, "intake page")
            typed: dict[str, str] = {}
            for name, value in fields.items():
                if run.stop.is_set():
                    return
                typed[name] = value.format(user=username, name=full_name)
                if value and random.random() < 0.7:  # a pause while typing: the page saves
                    think(run, 0.3, 1.2)
                    call(run, b, "POST", page + "save/", "intake autosave", form=typed, json_ok=True)
                    if value != "on":  # typed text (ticks are kept as true/false)
                        with run.lock:
                            run.drafts[username] = (step, name, typed[name])
            call(run, b, "POST", page, "intake page (save and continue)", ok=(302,), form=typed)
        consent = {"agree": "on", "signature": full_name}
        call(run, b, "GET", "/my/forms/7/", "intake page")
        think(run, 0.5, 1.5)
        if random.random() < 0.2:
            # A double click: two requests at once from the same session.
            twin = Browser(run.base, run.timings)
            twin.cookies = dict(b.cookies)
            other = threading.Thread(
                target=lambda: twin.post_form("/my/forms/7/", consent, label="intake sign and send")
            )
            other.start()
            sent = call(run, b, "POST", "/my/forms/7/", "intake sign and send", ok=(302,), form=consent)
            other.join()
            twin.close()
        else:
            sent = call(run, b, "POST", "/my/forms/7/", "intake sign and send", ok=(302,), form=consent)
        assert sent.location == "/my/forms/copy/", sent.location
        with run.lock:
            run.intakes.add(username)
            run.drafts.pop(username, None)
        home = call(run, b, "GET", "/my/", "client home")
        for link in QUESTION_LINK.findall(home.text):
            page = call(run, b, "GET", link, "questionnaire page")
            answers: dict[str, str] = {}
            for tag in RADIO.findall(page.text):
                answers.setdefault(NAME.search(tag).group(1), [])  # type: ignore[arg-type]
                answers[NAME.search(tag).group(1)].append(VALUE.search(tag).group(1))  # type: ignore[union-attr]
            # Mostly calm answers; safety items answered "no" (the first choice) nine times in ten.
            chosen = {
                name: (values[0] if random.random() < 0.9 else random.choice(values))
                for name, values in answers.items()
            }
            items = list(chosen.items())
            for start in range(0, len(items), 9):
                if run.stop.is_set():
                    return
                think(run, 0.5, 1.5)
                call(
                    run,
                    b,
                    "POST",
                    link + "save/",
                    "questionnaire autosave",
                    form=dict(items[: start + 9]),
                    json_ok=True,
                )
            sent = call(run, b, "POST", link, "questionnaire send", ok=(302,), form=chosen)
            if random.random() < 0.1:  # a retried request after it was taken
                call(run, b, "POST", link, "questionnaire send", ok=(302,), form=chosen)
            with run.lock:
                run.screenings.add(link)
        call(run, b, "POST", "/account/logout/", "sign out", ok=(302,))
    finally:
        b.close()


def therapist_flow(run: Run, username: str, key: str, cases: list[str]) -> None:
    b = Browser(run.base, run.timings)
    call(run, b, "GET", "/account/login/", "sign in")
    call(run, b, "POST", "/account/login/", "sign in", ok=(302,), form={"username": username, "password": PASSWORD})
    while True:
        try:
            call(run, b, "POST", "/account/two-factor/", "two-factor", ok=(302,), form={"token": totp_code(key)})
            break
        except Failed:
            time.sleep(30)  # a code already used in this 30-second window: wait for the next one
    n = 0
    while not run.stop.is_set():
        n += 1
        call(run, b, "GET", "/dashboard/", "dashboard")
        case = random.choice(cases)
        call(run, b, "GET", f"/cases/{case}/", "case page")
        day = time.strftime("%Y-%m-%d")
        created = call(
            run, b, "POST", f"/cases/{case}/sessions/new/", "add session", ok=(302,),
            form={"starts_at": f"{day}T{8 + n % 10:02d}:{(n * 7) % 60:02d}", "duration_minutes": "50",
                  "format": "conjoint", "modality": "in_person", "attendance": "attended"},
        )  # fmt: skip
        note_page = created.location
        session = note_page.split("/")[2]
        with run.lock:
            run.sessions.add(session)
        page = call(run, b, "GET", note_page, "note page")
        match = VERSION.search(page.text)
        version = match.group(1) or match.group(2)
        text = f"Session {n} of {username}: named who decides about money. {secrets.token_hex(4)}"
        fields = {"format": "soap", "c_subjective": "", "c_plan": "Name the pattern again next week.",
                  "next_steps": "Practise a pause.", "focus_naming_power": "2",
                  "evidence_naming_power": "Named the pattern without blame."}  # fmt: skip
        for words in range(1, 4):
            if run.stop.is_set():
                return
            think(run, 0.8, 2.0)
            fields["c_subjective"] = " ".join(text.split()[: words * 4]) if words < 3 else text
            saved = call(
                run,
                b,
                "POST",
                note_page + "autosave/",
                "note autosave",
                form={**fields, "version": version},
                json_ok=True,
            )
            version = str(saved.json()["version"])
        signed = call(
            run,
            b,
            "POST",
            note_page + "save/",
            "note sign",
            ok=(302,),
            form={**fields, "version": version, "go": "sign"},
        )
        assert signed.location == note_page, signed.location
        with run.lock:
            run.notes[session] = text


def worker_loop(run: Run, target, identities) -> None:
    while not run.stop.is_set():
        try:
            identity = identities.pop()
        except IndexError:
            return
        try:
            target(run, *identity)
        except Failed:
            continue


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def throughput(run: Run, path: str, clients: list[Browser], seconds: float) -> float:
    count = [0] * len(clients)
    stop = time.monotonic() + seconds

    def loop(i: int) -> None:
        while time.monotonic() < stop:
            try:
                response = clients[i].get(path, label=f"throughput {path}")
            except OSError as error:
                with run.lock:
                    run.failures[f"throughput {path}"] += 1
                    run.failure_samples.setdefault(f"throughput {path}", f"GET {path}: {type(error).__name__}")
                continue
            if response.status == 200:
                count[i] += 1
            else:
                with run.lock:
                    run.failures[f"throughput {path}"] += 1
                    run.failure_samples.setdefault(f"throughput {path}", f"GET {path}: HTTP {response.status}")

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(count) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--therapists", type=int, default=10)
    parser.add_argument("--throughput-seconds", type=int, default=30, help="per page, over all turns")
    parser.add_argument("--db-restart-at", type=float, default=0, help="restart PostgreSQL this many seconds in")
    parser.add_argument("--port", type=int, default=8411)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    import psycopg

    name = "fulcrum_load"
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    env = {
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"{args.pg}/{name}",
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": "https://localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": f"/tmp/fulcrum-load-static-{os.getpid()}",
        "PORT": str(args.port),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env, DJANGO_SETTINGS_MODULE="clinic.settings")
    subprocess.run(["bin/release"], cwd=ROOT, env=env, check=True, capture_output=True)

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.accounts.models import Role, User
    from clinic.clients.cases import open_case
    from clinic.clients.models import Case

    # People: therapists with authenticators, and enough couples for the whole run.
    password = make_password(PASSWORD)
    therapists, identities = [], []
    # Enough people that no simulated client runs out of new ones before the time is up.
    pairs = max(args.clients * args.duration // 30, 10)
    for t in range(args.therapists):
        user = User.objects.create(
            username=f"therapist{t}", role=Role.THERAPIST, password=password, email=f"t{t}@example.org"
        )
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        from base64 import b32encode

        therapists.append([user, b32encode(device.bin_key).decode(), []])
    for p in range(pairs):
        therapist = therapists[p % len(therapists)]
        people = [{"full_name": f"Client {p}-{side} Example", "email": ""} for side in "ab"]
        case = open_case(kind=Case.Kind.COUPLE, therapist=therapist[0], clients=people, by=therapist[0])
        therapist[2].append(str(case.code))
        for client in case.clients.all():
            user = User.objects.create(username=f"c{client.pk}", role=Role.CLIENT, password=password)
            client.user = user
            client.save(update_fields=["user"])
            identities.append((user.username, client.full_name))
    random.shuffle(identities)
    lanes = 8
    reader_identities = [identities.pop() for _ in range(lanes)]  # kept apart for the throughput phase
    connection.close()

    # The server's log goes to a file: a pipe nobody reads fills up and stops gunicorn mid-request.
    log_path = Path(f"/tmp/fulcrum-load-server-{os.getpid()}.log")
    server_out = log_path.open("wb")
    web = subprocess.Popen(["bin/web"], cwd=ROOT, env=env, stdout=server_out, stderr=subprocess.STDOUT)
    worker = subprocess.Popen(["bin/worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = Run(f"http://127.0.0.1:{args.port}")
    try:
        probe = Browser(run.base)
        for _ in range(100):
            try:
                if probe.get("/healthz").status == 200:
                    break
            except OSError:
                probe.close()
            time.sleep(0.2)
        print(f"Server up: gunicorn {os.environ.get('WEB_CONCURRENCY', 2 * (os.cpu_count() or 1) + 1)} workers x 4 threads; "
              f"{len(identities)} client identities over {pairs} couples, {args.therapists} therapists")  # fmt: skip

        started = time.monotonic()
        threads = [
            threading.Thread(target=worker_loop, args=(run, client_flow, identities)) for _ in range(args.clients)
        ]
        threads += [threading.Thread(target=worker_loop, args=(run, therapist_flow, [(str(u.username), k, c)])) for u, k, c in therapists]  # fmt: skip
        for t in threads:
            t.start()
        if args.db_restart_at:
            time.sleep(args.db_restart_at)
            run.outage = (time.monotonic(), 0.0)
            cluster = sorted(os.listdir("/etc/postgresql"))[-1]
            restart = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], capture_output=True, text=True)  # fmt: skip
            run.outage = (run.outage[0], time.monotonic())
            print(
                f"PostgreSQL restarted at {args.db_restart_at:.0f} s (took {run.outage[1] - run.outage[0]:.1f} s, exit {restart.returncode})"
            )
        run.stop.wait(max(0, args.duration - (time.monotonic() - started)))
        run.stop.set()
        for t in threads:
            t.join(timeout=60)
        elapsed = time.monotonic() - started

        # Throughput: the intake page against a minimal view, same server, same concurrency.
        readers = []
        for username, _name in reader_identities:
            b = Browser(run.base)
            b.get("/account/login/")
            b.post_form("/account/login/", {"username": username, "password": PASSWORD})
            readers.append(b)
        # Short turns, alternating: a shared machine's speed drifts, and one long window per page
        # let that drift decide the ratio (0.29 and 0.46 in two runs of the same code).
        turns = [
            (throughput(run, "/healthz", readers, args.throughput_seconds / ROUNDS),
             throughput(run, "/my/forms/1/", readers, args.throughput_seconds / ROUNDS))
            for _ in range(ROUNDS)
        ]  # fmt: skip
        minimal = statistics.mean(m for m, _ in turns)
        intake_page = statistics.mean(i for _, i in turns)
        turn_ratios = [i / m for m, i in turns if m]
        for b in readers:
            b.close()
    finally:
        web.terminate()
        worker.terminate()
        web.wait(timeout=60)
        worker.wait(timeout=60)
        server_out.close()
        server_log = log_path.read_text(errors="replace")

    # Every record people were told was saved, exactly once.
    from django.db.models import Count

    from assessments.models import Screening
    from clinic.notes.models import SessionNote, TherapySession
    from intake.models import Intake

    # The bench's own pooled connections may predate a database restart (the drill): start afresh.
    connection.close()
    if connection.pool is not None:
        connection.close_pool()
    connection.connect()
    submitted = set(
        Intake.objects.filter(status=Intake.Status.SUBMITTED).values_list("client__user__username", flat=True)
    )
    intake_doubles = Intake.objects.values("client").annotate(n=Count("id")).filter(n__gt=1).count()
    sent_codes = {link.split("/")[3] for link in run.screenings}
    screened = Screening.objects.filter(submitted_at__isnull=False)
    screened_codes = {str(c) for c in screened.values_list("code", flat=True)}
    screening_doubles = screened.values("client", "instrument_key").annotate(n=Count("id")).filter(n__gt=1).count()
    signed = {str(n.session.code): n for n in SessionNote.objects.filter(status="signed").select_related("session")}
    made_sessions = set(str(c) for c in TherapySession.objects.values_list("code", flat=True))
    lost_notes = [s for s, text in run.notes.items() if s not in signed or signed[s].content.get("subjective") != text]
    broken_hashes = [s for s, n in signed.items() if not n.verify()]
    drafts_lost = []
    for username, (step, field, text) in run.drafts.items():
        intake = Intake.objects.filter(client__user__username=username).first()
        slug = ["about", "contact", "emergency", "reasons", "relationship", "health"][step - 1]
        if intake is None or (intake.answers.get(slug) or {}).get(field) != text:
            drafts_lost.append(username)

    print(f"\nMixed load: {args.clients} clients and {args.therapists} therapists for {elapsed:.0f} s")
    print(f"{'page':34} {'requests':>9} {'failures':>9} {'median ms':>10} {'p95 ms':>8}")
    total = 0
    for label in sorted(run.timings):
        if label.startswith("throughput"):
            continue
        values = run.timings[label]
        total += len(values)
        print(f"{label:34} {len(values):9d} {run.failures[label]:9d} "
              f"{statistics.median(values) * 1000:10.1f} {percentile(values, 95) * 1000:8.1f}")  # fmt: skip
    failures = sum(run.failures.values())
    print(f"{'all':34} {total:9d} {failures:9d}   ({total / elapsed:.1f} requests/s)")
    print(
        f"Client identities used: {len(run.intakes)} finished intake of {len(identities) + len(run.intakes)} left at the start"
    )
    for label, sample in run.failure_samples.items():
        print(f"  first failure of {label}: {sample}")
    if args.db_restart_at:
        print(f"During the database restart (and 10 s after): {dict(run.outage_answers)}")
    ratio = intake_page / minimal if minimal else 0.0
    print(
        f"\nThroughput, {lanes} concurrent signed-in readers, {args.throughput_seconds} s each in {ROUNDS} alternating turns:"
    )
    print(f"  /healthz (minimal view)  {minimal:8.1f} req/s")
    print(f"  intake page              {intake_page:8.1f} req/s   ratio {ratio:.2f} (target >= 0.3)")
    if turn_ratios:
        print(f"  ratio per turn: {min(turn_ratios):.2f} to {max(turn_ratios):.2f}")

    lost_intakes = run.intakes - submitted
    lost_screenings = sent_codes - screened_codes
    print("\nRecords (told saved -> in the database):")
    print(
        f"  intakes sent        {len(run.intakes):5d} -> {len(submitted):5d} submitted; lost {len(lost_intakes)}, doubled {intake_doubles}"
    )
    print(
        f"  questionnaires sent {len(run.screenings):5d} -> {len(screened_codes):5d} submitted; lost {len(lost_screenings)}, doubled {screening_doubles}"
    )
    print(f"  sessions added      {len(run.sessions):5d} -> {len(made_sessions):5d} in the database")
    print(
        f"  notes signed        {len(run.notes):5d} -> {len(signed):5d} signed; lost or changed {len(lost_notes)}, hash mismatches {len(broken_hashes)}"
    )
    print(f"  drafts in progress  {len(run.drafts):5d}: last autosaved text missing for {len(drafts_lost)}")
    print(f"\nServer log: {log_path}")
    if "Traceback" in server_log:
        print("\nServer log has a traceback:\n" + server_log[server_log.index("Traceback") :][:2000])

    bad = (
        lost_intakes
        or lost_screenings
        or intake_doubles
        or screening_doubles
        or lost_notes
        or broken_hashes
        or drafts_lost
    )
    bad = bad or len(made_sessions) != len(run.sessions) or failures
    print("\nRESULT:", "FAIL" if bad else "OK (nothing lost, nothing doubled)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
