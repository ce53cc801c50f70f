"""The instance's files in a backup: which folders (uploads, exports), walking them for
the archive, and staging them on restore beside their folders so that they move into
place only once the database's commit succeeded (never half-restored)."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from translator.services.backup_archive import SECRET_KEY_MEMBER, ArchiveReader


def instance_folders(upload_folder: str, export_folder: str) -> dict[str, Path]:
    """Archive name → folder of the files jobs read or write: the uploads waiting for
    their import job, and the files export jobs made (``EXPORT_FOLDER``)."""
    return {"uploads": Path(upload_folder), "exports": Path(export_folder)}


def instance_files(folder: Path, skip: set[Path]) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of every regular file under ``folder``, sorted;
    symbolic links and the paths in ``skip`` (the archive being written) are left out."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            yield path.relative_to(folder).as_posix(), path


def not_empty(folder: Path) -> bool:
    """Whether a folder exists and holds anything."""
    return folder.is_dir() and any(folder.iterdir())


def _swap_folder(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    try:
        os.rename(target, old)
    except OSError:
        # A mount point (a volume of its own) cannot be renamed: replace its content.
        for entry in list(target.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in list(staging.iterdir()):
            shutil.move(entry, target / entry.name)
        staging.rmdir()
        return
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


@dataclass
class StagedFiles:
    """Folders and files written next to their targets, waiting to be swapped in."""

    staged: list[tuple[Path, Path]] = field(default_factory=list)  # (staging, target)
    counts: dict[str, int] = field(default_factory=dict)
    secret_key: bool = False

    def stage_folders(self, reader: ArchiveReader, folders: Mapping[str, Path]) -> None:
        """Extract ``files/<name>/…`` of each folder into a new folder beside it (a
        folder the archive has no files for becomes empty, if it exists)."""
        for name, target in sorted(folders.items()):
            prefix = f"files/{name}/"
            members = [m for m in reader.members if m.startswith(prefix)]
            self.counts[name] = len(members)
            if not members and not target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.restore-"))
            self.staged.append((staging, target))
            staging.chmod(stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o755)
            for member in members:
                # Member names were checked: no absolute path, no '..', no empty part.
                destination = staging.joinpath(*member[len(prefix) :].split("/"))
                destination.parent.mkdir(parents=True, exist_ok=True)
                with destination.open("wb") as out:
                    for chunk in reader.chunks(member):
                        out.write(chunk)

    def stage_secret_key(self, reader: ArchiveReader, target: Path) -> None:
        """Write the archive's secret key beside ``target``, readable by its owner only."""
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.restore-")
        self.staged.append((Path(name), target))
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in reader.chunks(SECRET_KEY_MEMBER):
                out.write(chunk)
        self.secret_key = True

    def install(self) -> None:
        """Swap each staged folder and file into place (renames on one file system)."""
        while self.staged:
            staging, target = self.staged[0]
            if staging.is_dir() and target.exists():
                _swap_folder(staging, target)
            else:
                os.replace(staging, target)
            self.staged.pop(0)

    def discard(self) -> None:
        """Remove whatever is still staged (a failed or abandoned restore)."""
        while self.staged:
            staging, _target = self.staged.pop()
            if staging.is_dir():
                shutil.rmtree(staging, ignore_errors=True)
            else:
                staging.unlink(missing_ok=True)
