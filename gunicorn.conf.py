"""gunicorn's settings for the application; gunicorn reads this file from the directory it
is started in (the repository's root), and command-line options override it.

The master process loads the application once and readies it (app/warmup.py: modules,
templates, catalogues, the deployed specs) before it forks the workers, which start
serving warm and share those pages of memory. The objects made so far are then frozen
out of the cyclic garbage collector's reach (gc.freeze), so a worker's collections
neither scan them nor write to their pages (which would copy them into every worker).

Code changes need a restart (SIGHUP does not reload a preloaded application)."""
from __future__ import annotations

import gc

preload_app = True
# One request at a time per worker process; threaded workers were measured slower under
# the load bench's sign-in crowd and dropped a kept-alive request (README, "Worker class").
worker_class = "sync"


def when_ready(server):
    """In the master, after the application was loaded and before any worker forks."""
    from app.warmup import warm_up

    readied = warm_up(server.app.wsgi())
    server.log.info("warmed up before forking the workers: %s", readied)
    gc.freeze()
