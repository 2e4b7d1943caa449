"""Run in a subprocess by test_dag_integrity: parse the DAG files the way Airflow does
and report, as JSON, the DAGs found and any connection or process started meanwhile."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

# Third-party imports are warmed first: what we audit is what our DAG files and our
# package do when a DAG file is parsed, not what Airflow does when it starts.
import airflow.sdk  # noqa: F401
import cosmos  # noqa: F401
import croniter  # noqa: F401  (probes the platform with `file` when first imported)
from airflow.sdk import DAG
from airflow.sdk.definitions._internal.contextmanager import DagContext

WATCHED = ("socket.connect", "sqlite3.connect", "subprocess.Popen", "os.system", "os.exec")
events: list[str] = []


def audit(event: str, args: tuple) -> None:
    if event.startswith(WATCHED):
        events.append(f"{event} {args!r}"[:300])


def main(dags_dir: str) -> None:
    import airflow.sdk.bases.hook as hook_module

    def no_connections(*args, **kwargs):
        events.append(f"get_connection{args!r}")
        raise RuntimeError("a DAG file asked for a connection while being parsed")

    hook_module.BaseHook.get_connection = classmethod(no_connections)  # type: ignore[method-assign]
    sys.addaudithook(audit)
    found: dict[str, dict] = {}
    for path in sorted(Path(dags_dir).glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"probe_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        DagContext.current_autoregister_module_name = spec.name
        spec.loader.exec_module(module)
        for value in vars(module).values():
            if isinstance(value, DAG):
                found[value.dag_id] = {"file": path.name}
    # DAGs built by a @dag function call are registered, not assigned to a name.
    for dag, _module in DagContext.autoregistered_dags:
        found[dag.dag_id] = {"file": getattr(dag, "fileloc", "")}
    print(json.dumps({"dags": found, "events": events}))


if __name__ == "__main__":
    main(sys.argv[1])
