"""Dashboards as code: superset_assets/ is generated from the descriptions in this package.

`sunshine superset assets` (or `write_bundle()`) writes the bundle; a test checks that
the committed files equal what these descriptions generate, so a change is made here
and reviewed in both places.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from sunshine.paths import SUPERSET_ASSETS_DIR
from sunshine.superset.assets.dashboards import DASHBOARDS
from sunshine.superset.assets.datasets import DATABASES, DATASETS, PERSONAL, WAREHOUSE
from sunshine.superset.assets.render import bundle_texts
from sunshine.superset.logins import COMMISSION_LOGIN

# Who each database's placeholder URI logs in as (the warehouse's owner for the
# warehouse connection, whatever its name: it is written in at import).
LOGINS = {WAREHOUSE.key: "sunshine", PERSONAL.key: COMMISSION_LOGIN}


def generate() -> dict[PurePosixPath, str]:
    """Every file of the bundle, by its path inside the bundle folder."""
    return bundle_texts(DATABASES, LOGINS, DASHBOARDS)


def write_bundle(assets_dir: Path = SUPERSET_ASSETS_DIR) -> list[PurePosixPath]:
    """Write the bundle into `assets_dir`, replacing its YAML files; the paths written."""
    files = generate()
    for kind in ("databases", "datasets", "charts", "dashboards"):
        shutil.rmtree(assets_dir / kind, ignore_errors=True)
    for relative, text in files.items():
        path = assets_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def stale_files(assets_dir: Path = SUPERSET_ASSETS_DIR) -> list[str]:
    """Files of `assets_dir` that differ from, lack or add to what is generated."""
    wanted = generate()
    present = {
        PurePosixPath(p.relative_to(assets_dir).as_posix()) for p in assets_dir.rglob("*.yaml")
    }
    stale = sorted(str(p) for p in present - set(wanted))
    for relative, text in wanted.items():
        path = assets_dir / relative
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(relative))
    return stale


__all__ = ["DASHBOARDS", "DATABASES", "DATASETS", "generate", "stale_files", "write_bundle"]
