"""The people of bench/load_bench.py, as locust users against the app servers.

    LOAD_PLAN=plan.json locust -f bench/locustfile.py --headless -u 200 -r 20 -t 5m --host URL

The plan (written by load_bench.py from the database in the middle of the evaluations)
names who signs in and which tasks each may complete, with the inputs of each task.
Every user signs in through the sign-in form, reads the CSRF token from the page and
posts the task forms a browser would post (bench/http_forms.py):

Between two requests a user waits 1 to 5 seconds, as a person reading a page does, and
as long between opening a task and sending its form (reading it and filling it in):

- evaluators (managers, supervisors, the Secretary General) open their inbox and (those
  heading a unit) their team's page, open the evaluations they still have to rate and
  rate them;
- employees open their own page and their inbox, and acknowledge their evaluation;
- the support unit reads the cycle's dashboard.

The first completion of the run, and one in DOUBLE_SUBMIT_EVERY after it, is sent twice
as a double click sends it: the second answer must be 409 (the task closed meanwhile).

Requests are named by route (`/tasks/<id>`), never by id, so the figures are per page.
With LOAD_TIMES set, every request's start, route and time are written there as CSV when
locust quits: load_bench.py reads the figures after the last sign-in from it.
Each person of the plan is signed in by one user only while there are enough of them;
beyond, people are reused as readers, never completing the same task twice."""
from __future__ import annotations

import csv
import itertools
import json
import os
from pathlib import Path

from http_forms import hidden_fields, task_form_body
from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
DOUBLE_SUBMIT_EVERY = 10
DOUBLE_SUBMIT = "/tasks/<id> [double submit, 409 expected]"
_taken = {name: itertools.count() for name in ("evaluators", "employees", "support")}
_completions = itertools.count(1)
_timed: list[tuple[float, str, str, float, bool]] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, start_time=None, **_kw):
    _timed.append((start_time or 0.0, request_type, name, response_time, exception is None))


@events.quitting.add_listener
def _write_times(**_kw):
    if os.environ.get("LOAD_TIMES"):
        with open(os.environ["LOAD_TIMES"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["start", "method", "name", "ms", "ok"])
            writer.writerows(_timed)


class Person(FastHttpUser):
    abstract = True
    wait_time = between(1, 5)  # seconds a person spends reading a page before the next
    pool = ""

    def on_start(self):
        people = PLAN[self.pool]
        number = next(_taken[self.pool])
        person = people[number % len(people)]
        self.todo = list(person.get("tasks", ())) if number < len(people) else []
        self.heads_a_team = person.get("team", False)
        page = self.client.get("/login", name="/login")
        body = {**hidden_fields(page.text, marker=None), "email": person["email"],
                "password": PLAN["password"]}
        with self.client.post("/login", data=body, name="/login [sign in]",
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in as {person['email']}: HTTP {answer.status_code}")

    def page(self, path: str, name: str | None = None):
        with self.client.get(path, name=name or path, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
            return answer

    def complete_next(self) -> None:
        """Open the next task of the plan, and send its form after a pause like the one
        between two pages (then perhaps again at once, as a double click does)."""
        if not self.todo:
            return
        item = self.todo.pop(0)
        path = f"/tasks/{item['id']}"
        page = self.page(path, "/tasks/<id>")
        if page.status_code != 200:
            return
        data, files = task_form_body(page.text, item["inputs"])
        self.wait()  # the person reads the task and fills its form before sending it
        self.post(path, data, files, "/tasks/<id> [complete]", 302)
        if next(_completions) % DOUBLE_SUBMIT_EVERY == 1:
            self.post(path, data, files, DOUBLE_SUBMIT, 409)

    def post(self, path: str, data: dict, files: dict, name: str, expected: int) -> None:
        with self.client.post(path, data=data, files=files or None, name=name,
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code == expected:
                answer.success()
            else:
                answer.failure(f"HTTP {answer.status_code} (expected {expected})")


class Evaluator(Person):
    weight = 4
    pool = "evaluators"

    @task(2)
    def inbox(self):
        self.page("/tasks")

    @task(1)
    def team(self):
        if self.heads_a_team:
            self.page(f"/team/{PLAN['year']}", "/team/<year>")

    @task(4)
    def rate(self):
        self.complete_next()


class Employee(Person):
    weight = 5
    pool = "employees"

    @task(2)
    def own_page(self):
        self.page(f"/me/{PLAN['year']}", "/me/<year>")

    @task(1)
    def inbox(self):
        self.page("/tasks")

    @task(2)
    def acknowledge(self):
        self.complete_next()


class SupportUnit(Person):
    weight = 1
    pool = "support"

    @task(3)
    def dashboard(self):
        self.page(f"/dashboard/{PLAN['year']}", "/dashboard/<year>")

    @task(1)
    def late(self):
        self.page(f"/dashboard/{PLAN['year']}?late=1", "/dashboard/<year>?late=1")

    @task(1)
    def pool_tasks(self):
        self.page("/tasks?view=pool", "/tasks?view=pool")
