"""gunicorn settings for Matricule: `gunicorn -c gunicorn.conf.py` (docs/deployment.md §5).

gthread workers: each process serves GUNICORN_THREADS (8) requests at once, so a slow
request (a login's Argon2 check, a PDF) holds one thread, not the whole process. With
the bound on password checks (MATRICULE_LOGIN_CONCURRENCY) a burst of logins no longer
stalls page views. Defaults are for the 2-core reference server; `make loadtest` shows
the effect.
"""

from __future__ import annotations

import os

wsgi_app = "matricule.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Enough threads that logins waiting for a password-check slot never take them all.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory), not all at once.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"
