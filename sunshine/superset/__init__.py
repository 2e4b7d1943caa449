"""Superset for Sunshine: its own environment, set-up, dashboards as code, web server.

Superset runs from envs/superset/.venv (it needs SQLAlchemy < 2); everything here
drives it through subprocesses with the configuration in superset_config.py.
"""

from sunshine.superset.bootstrap import is_set_up, setup
from sunshine.superset.bundle import import_assets, render_bundle
from sunshine.superset.credentials import Credentials, admin_credentials
from sunshine.superset.environment import ensure_environment
from sunshine.superset.server import DEFAULT_PORT, SupersetServer, free_port, serve, stop

__all__ = [
    "DEFAULT_PORT",
    "Credentials",
    "SupersetServer",
    "admin_credentials",
    "ensure_environment",
    "free_port",
    "import_assets",
    "is_set_up",
    "render_bundle",
    "serve",
    "setup",
    "stop",
]
