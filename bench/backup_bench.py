"""Backup and restore of a 10 000-unit × 3-edition document, across the two databases:
back up SQLite, restore into PostgreSQL, back up PostgreSQL, restore into SQLite. Each
step runs in a fresh process (its time excludes start-up; its peak RSS is the whole
process, beside a process that only starts up). Baseline in the same run: pg_dump -Fc
and pg_restore of the same PostgreSQL database.

    python bench/backup_bench.py [--units 10000] [--saves 1000]
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/translator_bench_backup \
        python bench/backup_bench.py     # the PostgreSQL side (it is emptied; this is the default)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _common import bench_app, pg_url

from translator import create_app
from translator.extensions import db

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/translator_bench_backup"


def fresh_postgres(url: str) -> None:
    """Create the database if needed and drop everything in it."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def build(units: int, saves: int) -> tuple[str, str]:
    """A SQLite service with the document aligned and ``saves`` edits; (url, instance)."""
    from translator.models import Segment
    from translator.services.alignment import align_document
    from translator.services.documents import get_document
    from translator.services.editing import save_segment
    from translator.services.imports import prepare_import, store_import
    from translator.services.users import create_user

    app = bench_app()
    with app.app_context():
        admin = create_user("bench@example.org", "benchmark-pass", is_admin=True)
        slug = None
        for lang in ("en", "fr", "pt"):
            text = "\n\n".join(
                f"Sentence {i} of the {lang} edition, long enough to look like prose."
                for i in range(units)
            )
            prepared = prepare_import(text.encode(), f"bench.{lang}.txt", lang, "text")
            document = get_document(slug) if slug else None
            slug = store_import(prepared, title="Bench", document=document).document
        db.session.commit()
        assert slug is not None
        align_document(get_document(slug), pivot="en")
        db.session.commit()
        ids = db.session.scalars(sa.select(Segment.id).order_by(Segment.id).limit(saves)).all()
        for segment_id in ids:
            segment = db.session.get(Segment, segment_id)
            save_segment(
                segment, segment.text + " Edited.", base_version=segment.version, user=admin
            )
        db.session.commit()
        upload = Path(app.config["UPLOAD_FOLDER"])
        upload.mkdir(parents=True, exist_ok=True)
        (upload / "waiting.txt").write_text("An upload waiting for its job.\n" * 1000)
        url = str(app.config["SQLALCHEMY_DATABASE_URI"])
        db.engine.dispose()
    return url, app.instance_path


def step(args: argparse.Namespace) -> None:
    """One backup or restore in this process; prints its figures as JSON."""
    from translator.services.backup import restore_backup, write_backup
    from translator.services.backup_files import instance_folders

    app = create_app(
        {"INSTANCE_PATH": args.instance, "SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "b"}
    )
    with app.app_context():
        folders = instance_folders(app.config["UPLOAD_FOLDER"], app.config["EXPORT_FOLDER"])
        start, cpu = time.perf_counter(), time.process_time()
        if args.step == "backup":
            write_backup(Path(args.archive), folders=folders)
        elif args.step == "restore":
            restored = restore_backup(Path(args.archive), folders=folders)
            db.session.commit()
            restored.install_files()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        db.engine.dispose()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(name: str, url: str, instance: str, archive: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--step", name, "--url", url, "--instance", instance,
         "--archive", str(archive)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def timed_command(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def tables_of(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith(("tables/", "files/"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=1_000)
    parser.add_argument("--step", choices=["backup", "restore", "idle"])
    parser.add_argument("--url")
    parser.add_argument("--instance")
    parser.add_argument("--archive")
    args = parser.parse_args()
    if args.step:
        step(args)
        return

    pg = pg_url() or DEFAULT_PG
    work = Path(tempfile.mkdtemp(prefix="translator-backup-bench-"))
    start = time.perf_counter()
    sqlite_source, source_instance = build(args.units, args.saves)
    print(f"built {args.units} units × 3 editions, {args.saves} edits: "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
    fresh_postgres(pg)
    pg_app = create_app({"INSTANCE_PATH": str(work / "pg"), "SQLALCHEMY_DATABASE_URI": pg})
    sqlite_target = f"sqlite:///{work / 'again.sqlite3'}"
    again_app = create_app(
        {"INSTANCE_PATH": str(work / "again"), "SQLALCHEMY_DATABASE_URI": sqlite_target}
    )
    from flask_migrate import upgrade

    for target in (pg_app, again_app):
        with target.app_context():
            upgrade()
            db.engine.dispose()

    idle = run_step("idle", sqlite_source, source_instance, work / "none.zip")
    rows: list[tuple[str, dict[str, Any], Path | None]] = []
    first, second = work / "from-sqlite.zip", work / "from-postgresql.zip"
    rows.append(("backup SQLite", run_step("backup", sqlite_source, source_instance, first), first))
    rows.append(("restore into PostgreSQL", run_step("restore", pg, str(work / "pg"), first), None))
    rows.append(("backup PostgreSQL", run_step("backup", pg, str(work / "pg"), second), second))
    again = str(work / "again")
    rows.append(("restore into SQLite", run_step("restore", sqlite_target, again, second), None))

    with zipfile.ZipFile(first) as z:
        manifest = json.loads(z.read("manifest.json"))
    total_rows = sum(t["rows"] for t in manifest["tables"])
    identical = tables_of(first) == tables_of(second)

    libpq = sa.make_url(pg).set(drivername="postgresql").render_as_string(hide_password=False)
    dump = work / "baseline.pgdump"
    dump_s = timed_command(["pg_dump", "-Fc", "-f", str(dump), libpq])
    restore_db = pg.rsplit("/", 1)[0] + "/" + sa.make_url(pg).database + "_pgrestore"
    fresh_postgres(restore_db)
    restore_libpq = (
        sa.make_url(restore_db).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    pg_restore_s = timed_command(["pg_restore", "--no-owner", "-d", restore_libpq, str(dump)])

    print(f"{total_rows} rows in {len(manifest['tables'])} tables; "
          f"archives of both databases identical: {identical}")  # fmt: skip
    print(f"idle process peak RSS: {idle['rss_mb']:.0f} MB")
    print(f"{'step':26} {'wall':>8} {'CPU':>8} {'archive':>9} {'peak RSS':>9} "
          f"{'wall vs pg_dump/pg_restore':>27}")  # fmt: skip
    for name, figures, archive in rows:
        size = f"{archive.stat().st_size / 1e6:.1f} MB" if archive else ""
        baseline = dump_s if name.startswith("backup") else pg_restore_s
        print(f"{name:26} {figures['seconds']:7.2f}s {figures['cpu']:7.2f}s {size:>9} "
              f"{figures['rss_mb']:6.0f} MB {figures['seconds'] / baseline:26.1f}×")  # fmt: skip
    print(f"{'baseline pg_dump -Fc':26} {dump_s:7.2f}s {dump.stat().st_size / 1e6:6.1f} MB")
    print(f"{'baseline pg_restore':26} {pg_restore_s:7.2f}s")


if __name__ == "__main__":
    main()
