"""python -m watcher.migrations revision "message": autogenerate the next revision.

It compares the models in store.py with a scratch SQLite database migrated to the current
head and writes versions/NNNN_<slug>.py. Review it before committing.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from . import HERE, config


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "revision":
        print(__doc__.strip(), file=sys.stderr)
        return 2
    message = argv[1]
    script = ScriptDirectory.from_config(config())
    number = len(list(script.walk_revisions())) + 1
    rev_id = f"{number:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        with engine.begin() as conn:
            cfg = config(conn)
            if number > 1:
                command.upgrade(cfg, "head")
            slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
            cfg.set_main_option("file_template", f"{rev_id}_{slug}")
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
    print(f"wrote {HERE / 'versions'}/{rev_id}_{slug}.py: review it, then commit it")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
