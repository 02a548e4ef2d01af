"""Task forms over HTTP, as a browser fills them: what bench/load_bench.py's locust users
and bench/cluster_bench.py post to the servers.

A task's inputs are what app.demo.cycle.inputs gives the services (field name -> string,
or (filename, bytes) for an upload, as the demo's headless cycle hands them to the
task's form class). A browser sends those, plus the hidden fields the page rendered
(the CSRF token first of all), as one multipart/form-data body. Pages are read with the
standard library's HTML parser: only the hidden inputs of a form matter here."""
from __future__ import annotations

from html.parser import HTMLParser


class _HiddenFields(HTMLParser):
    """The hidden inputs of the page's first form carrying `marker` among its
    attributes (the task page's form has data-testid="task-form"), else of every form."""

    def __init__(self, marker: tuple[str, str] | None):
        super().__init__(convert_charrefs=True)
        self.marker, self.inside, self.fields, self.done = marker, marker is None, {}, False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.marker and not self.done:
            self.inside = attributes.get(self.marker[0]) == self.marker[1]
        elif tag == "input" and self.inside and attributes.get("type") == "hidden":
            self.fields.setdefault(attributes.get("name") or "", attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self.marker and self.inside:
            self.inside, self.done = False, True


def _marked_form(html: str, marker: tuple[str, str] | None) -> str | None:
    """The source of the form carrying `marker`, cut out of the page before parsing (the
    parser reads the rest of a task page for nothing: locust shares the servers' cores),
    or None when there is no such form to cut out."""
    at = html.find(f'{marker[0]}="{marker[1]}"') if marker else -1
    if at < 0:
        return None
    start, end = html.rfind("<form", 0, at), html.find("</form>", at)
    return html[start:end + len("</form>")] if start >= 0 and end >= 0 else None


def hidden_fields(html: str, marker: tuple[str, str] | None = ("data-testid", "task-form")) -> dict:
    """The hidden inputs a browser would send back with the form (csrf_token and the
    like); `marker=None` takes them from any form (the sign-in page)."""
    parser = _HiddenFields(marker)
    parser.feed(_marked_form(html, marker) or html)
    return {name: value for name, value in parser.fields.items() if name}


def post_fields(inputs: dict) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    """Split a task's inputs into form fields and uploaded files, the two halves of a
    multipart body (requests' `data` and `files`)."""
    data, files = {}, {}
    for name, value in inputs.items():
        if isinstance(value, tuple):
            files[name] = (value[0], value[1], "application/pdf")
        else:
            data[name] = str(value)
    return data, files


def task_form_body(page_html: str, inputs: dict) -> tuple[dict, dict]:
    """The body a browser posts to /tasks/<id>: the page's hidden fields, then the inputs."""
    data, files = post_fields(inputs)
    return {**hidden_fields(page_html), **data}, files

