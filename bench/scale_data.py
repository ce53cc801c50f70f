"""Fill a PostgreSQL database with the scale of issue 12: 1 000 documents of three
editions (an English original, French, Portuguese) of about 1 000 units each, 3 million
segments, their history, 30 people, memberships and assignments.

    createdb -h 127.0.0.1 -U postgres translator_bench_scale
    python bench/scale_data.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/translator_bench_scale

The schema is the app's own (the migrations, as ``translator init`` runs them); the rows
are sent with COPY, a batch of documents at a time, in one transaction. The texts are
the sentences of NTREX newstest2019 (``../shared/corpus/ntrex-en-fr-pt``, aligned in
the three languages), each document a run of consecutive sentences; without the corpus,
made-up sentences. Statuses differ by edition as in a collective's archive: French about
half translated (some reviewed, a few outdated, drafts at the frontier), Portuguese
mostly empty; about a tenth of the documents are being worked on, with open
assignments (some overdue), the others' assignments are closed.

The counters (``edition_counts``, ``person_day_counts``) are kept by triggers. By
default they are switched off for the load and the counters rebuilt once at the end
(``services.counters.recount_progress``, what ``translator progress --recount`` runs);
``revisions.advanced``, which the revisions' trigger sets, is then written by the
generator and checked against the definition. ``--triggers`` keeps them on (every row
counted as it is copied: the load's cost with triggers) and then compares every counter
with a full recount.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from _common import SHARED, bench_app
from fractional_indexing import generate_n_keys_between
from werkzeug.security import generate_password_hash

from translator.extensions import db
from translator.services.counters import counter_mismatches, recount_progress
from translator.text.words import count_words

EMPTY_HASH = hashlib.blake2b(b"", digest_size=10).hexdigest()
CORPUS = SHARED / "corpus" / "ntrex-en-fr-pt"
LANGUAGES = ("en", "fr", "pt")
PASSWORD = "scale-bench-pass"
TRIGGERS = {
    "segments": "segments_counts",
    "revisions": "revisions_counts",
    "documents": "documents_original_counts",
}
PEOPLE = 30  # 1 administrator, 3 coordinators, 13 French and 13 Portuguese translators
FIRST_TRANSLATOR = 5
FRENCH_PEOPLE = range(FIRST_TRANSLATOR, FIRST_TRANSLATOR + 13)
PORTUGUESE_PEOPLE = range(FIRST_TRANSLATOR + 13, PEOPLE + 1)
_COMMON_WORDS = """
the of and to in a is that for it as was with be by on not he this are or his from
at which but have an they you were her she there been one all we their has would
when more will who if no out so said what up its about into than them can only other
new some could time these two may then do first any my now such like our over man me
even most made after also did many before must through back years where much your
way well down should because each just those people how too little state good very
make world still own see men work long get here between both life being under never
"""
WORDS = _COMMON_WORDS.split()


def hash10(text: str) -> str:
    """``services.segments.content_hash``, without importing the service (same bytes)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(slots=True)
class Text:
    """One sentence of the pool in one language, with what the rows store of it."""

    full: str
    half: str  # the first half of its words: a draft
    words: int
    half_words: int
    hash: str
    half_hash: str


def _text(sentence: str) -> Text:
    tokens = sentence.split()
    half = " ".join(tokens[: max(1, len(tokens) // 2)])
    return Text(
        sentence, half, count_words(sentence), count_words(half), hash10(sentence), hash10(half)
    )


def sentence_pool(rng: random.Random) -> dict[str, list[Text]]:
    """Language → sentences, aligned across languages (index i is one sentence)."""
    paths = {lang: CORPUS / f"newstest2019.{lang}" for lang in LANGUAGES}
    if all(p.exists() for p in paths.values()):
        lines = {lang: p.read_text(encoding="utf-8").splitlines() for lang, p in paths.items()}
        count = min(len(v) for v in lines.values())
        keep = [i for i in range(count) if all(lines[lang][i].strip() for lang in LANGUAGES)]
        return {lang: [_text(lines[lang][i].strip()) for i in keep] for lang in LANGUAGES}
    print(f"({CORPUS} not found: made-up sentences)", file=sys.stderr)
    pool: dict[str, list[Text]] = {lang: [] for lang in LANGUAGES}
    for _ in range(2000):
        words = [rng.choice(WORDS) for _ in range(int(rng.lognormvariate(2.8, 0.5)) + 2)]
        for lang in LANGUAGES:
            sentence = " ".join(words if lang == "en" else [f"{w}{lang}" for w in words])
            pool[lang].append(_text(sentence[0].upper() + sentence[1:] + "."))
    return pool


@dataclass(slots=True)
class Counts:
    """Rows written, by table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


@dataclass(slots=True)
class Plan:
    """One document's shape: its units' sentences, paragraphs and who does what."""

    id: int
    units: int
    offset: int  # the sentence of the pool its first unit holds
    active: bool  # being worked on now: open assignments
    created: datetime
    done: dict[str, int]  # language → units translated (a prefix of the document)
    reviewed: dict[str, int]  # language → units reviewed (a prefix of the done ones)
    translators: dict[str, list[int]]
    reviewer: dict[str, int]
    coordinator: int
    cuts: dict[str, list[int]] = field(default_factory=dict)  # ranges: first unit of each


class Generator:
    """Writes every row, a batch of documents at a time, with COPY."""

    def __init__(self, conn: psycopg.Connection[Any], args: argparse.Namespace) -> None:
        self.conn = conn
        self.args = args
        self.rng = random.Random(args.seed)
        self.pool = sentence_pool(self.rng)
        self.size = len(self.pool["en"])
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.keys = generate_n_keys_between(None, None, args.units * 3 // 2 + 1)
        self.counts = Counts()
        self.unit_id = self.segment_id = self.revision_id = 0
        self.assignment_id = self.event_id = self.member_id = 0

    # -- people -----------------------------------------------------------------------
    def people(self) -> None:
        password = generate_password_hash(PASSWORD, method="scrypt")
        rows = []
        for i in range(1, PEOPLE + 1):
            if i == 1:
                email, name = "admin@scale.example", "Admin"
            elif i <= 4:
                email, name = f"coordinator{i - 1}@scale.example", f"Coordinator {i - 1}"
            else:
                lang = "fr" if i in FRENCH_PEOPLE else "pt"
                email, name = f"{lang}{i:02d}@scale.example", f"Translator {lang} {i:02d}"
            locale = "fr" if i in FRENCH_PEOPLE else "pt" if i in PORTUGUESE_PEOPLE else None
            rows.append((i, email, name, password, i == 1, i == 2, True, locale, "{}", self.now))
        self._copy(
            "users",
            "id, email, display_name, password_hash, is_admin, is_coordinator, active,"
            " locale, preferences, created_at",
            rows,
        )

    # -- documents ----------------------------------------------------------------------
    def plan(self, doc: int) -> Plan:
        rng, units = self.rng, self.args.units
        count = rng.randint(units // 2, units * 3 // 2)
        active = rng.random() < self.args.active
        done, reviewed = {}, {}
        for lang in ("fr", "pt"):
            if lang == "fr":
                share = (
                    rng.uniform(0.2, 0.9)
                    if active
                    else rng.choice([1.0, 1.0, rng.random(), rng.random(), 0.0])
                )
                review = rng.uniform(0.0, 0.6) if active else rng.choice([1.0, 0.5, 0.0])
            else:
                share = (
                    rng.uniform(0.0, 0.3)
                    if active
                    else rng.choice([0.0, 0.0, 0.0, rng.uniform(0, 0.1), 1.0])
                )
                review = rng.uniform(0.0, 0.3) if share < 1 else rng.choice([1.0, 0.0])
            done[lang] = int(count * share)
            reviewed[lang] = int(done[lang] * review)
        translators = {
            "fr": rng.sample(list(FRENCH_PEOPLE), 4),
            "pt": rng.sample(list(PORTUGUESE_PEOPLE), 4),
        }
        reviewer = {lang: people.pop() for lang, people in translators.items()}
        for lang in translators:
            translators[lang] = translators[lang][: rng.randint(1, 3)]
        created = self.now - timedelta(
            days=rng.uniform(30, 400) if not active else rng.uniform(20, 90)
        )
        return Plan(
            doc,
            count,
            rng.randrange(self.size),
            active,
            created,
            done,
            reviewed,
            translators,
            reviewer,
            rng.randint(2, 4),
        )

    def documents(self, plans: list[Plan]) -> None:
        self._copy(
            "documents",
            "id, slug, title, author, credits, notes, created_at, updated_at",
            [
                (
                    p.id,
                    f"scale-{p.id:04d}",
                    self.pool["en"][p.offset].full[:200],
                    f"Author {p.id % 97}",
                    "",
                    "",
                    p.created,
                    p.created,
                )
                for p in plans
            ],
        )
        self._copy(
            "editions",
            "id, document_id, language, title, credits, source_filename, source_format,"
            " structure, created_at, typography",
            [
                (
                    self.edition(p.id, lang),
                    p.id,
                    lang,
                    self.pool[lang][p.offset].full[:200],
                    "",
                    f"scale-{p.id}.{lang}.txt" if lang == "en" else "",
                    "text" if lang == "en" else "",
                    "[]",
                    p.created,
                    True,
                )
                for p in plans
                for lang in LANGUAGES
            ],
        )
        with self.conn.cursor() as cur:
            cur.execute(
                "UPDATE documents SET original_edition_id = 3 * id - 2 WHERE id = ANY(%s)",
                ([p.id for p in plans],),
            )

    @staticmethod
    def edition(doc: int, lang: str) -> int:
        return 3 * doc - 2 + LANGUAGES.index(lang)

    # -- units, segments, revisions -------------------------------------------------------
    def cells(self, plans: list[Plan]) -> None:
        units: list[tuple[Any, ...]] = []
        segments: list[tuple[Any, ...]] = []
        revisions: list[tuple[Any, ...]] = []
        for p in plans:
            self._document_cells(p, units, segments, revisions)
        self._copy(
            "units",
            "id, document_id, order_key, role, level, label, paragraph_key, confidence, created_at",
            units,
        )
        self._copy(
            "segments",
            "id, unit_id, edition_id, text, status, aligned, outdated, version,"
            " content_hash, sibling_hashes, words, updated_at",
            segments,
        )
        self._copy(
            "revisions",
            "id, segment_id, edition_id, unit_id, version, text, status, reason,"
            " author_id, job_id, created_at, words, advanced",
            revisions,
        )

    def _document_cells(
        self, p: Plan, units: list[Any], segments: list[Any], revisions: list[Any]
    ) -> None:
        rng = self.rng
        paragraph, left_in_paragraph = 0, 0
        first_unit = self.unit_id + 1
        starts: list[int] = []  # positions where a paragraph starts (range cuts)
        # When the document was worked on: up to now if it is active, else its first
        # three months; unit by unit along the document.
        start = p.created + timedelta(days=1)
        end = self.now if p.active else min(self.now, p.created + timedelta(days=90))
        for i in range(p.units):
            self.unit_id += 1
            unit = self.unit_id
            if i == 0 or (left_in_paragraph == 0 and rng.random() < 0.03):
                role, level, left_in_paragraph = "heading", 1 if i == 0 else 2, 0
            else:
                role, level = "paragraph", None
            if left_in_paragraph == 0:
                paragraph += 1
                starts.append(i)
                left_in_paragraph = 1 if role == "heading" else rng.randint(1, 6)
            left_in_paragraph -= 1
            confidence = round(rng.uniform(0.3, 1.0), 3) if rng.random() < 0.9 else 1.0
            units.append(
                (unit, p.id, self.keys[i], role, level, None, paragraph, confidence, p.created)
            )
            line = (p.offset + i) % self.size
            outdated_source = False
            worked = start + (end - start) * ((i + rng.random()) / (p.units + 1)) * 0.9
            states = {}
            for lang in ("fr", "pt"):
                if i < p.reviewed[lang]:
                    state = "reviewed"
                elif i < p.done[lang]:
                    state = "translated"
                elif i < p.done[lang] + rng.randint(0, 12) and p.done[lang] > 0:
                    state = "draft"
                else:
                    state = "draft" if rng.random() < 0.01 else "empty"
                outdated = state in ("translated", "reviewed") and rng.random() < 0.03
                outdated_source = outdated_source or outdated
                states[lang] = (state, outdated)
            # The original: imported, edited later where a translation is now outdated.
            en = self.pool["en"][line]
            self.segment_id += 1
            en_segment = self.segment_id
            history = [
                (
                    "import",
                    "translated",
                    en.half if outdated_source else en.full,
                    en.half_words if outdated_source else en.words,
                    1,
                    p.created,
                )
            ]
            if outdated_source:
                history.append(
                    (
                        "edit",
                        "translated",
                        en.full,
                        en.words,
                        p.coordinator,
                        worked + timedelta(days=1),
                    )
                )
            segments.append(
                (
                    en_segment,
                    unit,
                    self.edition(p.id, "en"),
                    en.full,
                    "translated",
                    True,
                    False,
                    len(history),
                    en.hash,
                    "{}",
                    en.words,
                    history[-1][5],
                )
            )
            for version, (reason, status, text, words, author, at) in enumerate(history, 1):
                self.revision_id += 1
                revisions.append(
                    (
                        self.revision_id,
                        en_segment,
                        self.edition(p.id, "en"),
                        unit,
                        version,
                        text,
                        status,
                        reason,
                        author,
                        None,
                        at,
                        words,
                        False,
                    )
                )
            for lang in ("fr", "pt"):
                state, outdated = states[lang]
                text = self.pool[lang][line]
                edition = self.edition(p.id, lang)
                translator = p.translators[lang][
                    min(len(p.translators[lang]) - 1, i * len(p.translators[lang]) // p.units)
                ]
                steps: list[tuple[str, str, int, datetime, int]] = []
                if state == "draft" or (state != "empty" and rng.random() < 0.4):
                    steps.append(("draft", text.half, text.half_words, worked, translator))
                if state in ("translated", "reviewed"):
                    steps.append(
                        (
                            "translated",
                            text.full,
                            text.words,
                            worked + timedelta(minutes=20),
                            translator,
                        )
                    )
                if state == "reviewed":
                    steps.append(
                        (
                            "reviewed",
                            text.full,
                            text.words,
                            worked + timedelta(days=rng.uniform(1, 5)),
                            p.reviewer[lang],
                        )
                    )
                self.segment_id += 1
                final = steps[-1] if steps else ("empty", "", 0, p.created, 0)
                hashes = json.dumps({"en": en.hash}) if steps else "{}"
                segments.append(
                    (
                        self.segment_id,
                        unit,
                        edition,
                        final[1],
                        state,
                        True,
                        outdated,
                        1 + len(steps),
                        EMPTY_HASH
                        if not steps
                        else (text.hash if final[1] == text.full else text.half_hash),
                        hashes,
                        final[2],
                        min(final[3], self.now),
                    )
                )
                before = None
                for version, (status, body, words, at, author) in enumerate(steps, 2):
                    self.revision_id += 1
                    advanced = status in ("translated", "reviewed") and before != status
                    revisions.append(
                        (
                            self.revision_id,
                            self.segment_id,
                            edition,
                            unit,
                            version,
                            body,
                            status,
                            "edit",
                            author,
                            None,
                            min(at, self.now),
                            words,
                            advanced,
                        )
                    )
                    before = status
        for lang in ("fr", "pt"):
            n = len(p.translators[lang])
            p.cuts[lang] = sorted(
                {min(starts, key=lambda s, k=k: abs(s - k * p.units // n)) for k in range(n)}
            )
        p.cuts["first_unit"] = [first_unit]

    # -- who does what ----------------------------------------------------------------------
    def teams(self, plans: list[Plan]) -> None:
        members, assignments, events = [], [], []
        for p in plans:
            first_unit = p.cuts["first_unit"][0]
            seen: set[tuple[int, str]] = set()

            def member(
                user: int, language: str, role: str, p: Plan = p, seen: set[Any] = seen
            ) -> None:
                if (user, language) in seen:
                    return
                seen.add((user, language))
                self.member_id += 1
                members.append((self.member_id, p.id, user, language, role))

            member(p.coordinator, "", "coordinator")
            if p.coordinator != 3 and self.rng.random() < 0.3:
                member(3, "", "reader")
            for lang in ("fr", "pt"):
                for user in p.translators[lang]:
                    member(user, lang, "translator")
                member(p.reviewer[lang], lang, "reviewer")
                edition = self.edition(p.id, lang)
                cuts = p.cuts[lang]
                work = []
                for k, start in enumerate(cuts):
                    end = cuts[k + 1] - 1 if k + 1 < len(cuts) else p.units - 1
                    whole = len(cuts) == 1
                    first = None if whole else first_unit + start
                    last = None if whole else first_unit + end
                    left = end >= p.done[lang]
                    work.append((p.translators[lang][k], "translate", first, last, left))
                if p.done[lang] > 0:
                    work.append(
                        (p.reviewer[lang], "review", None, None, p.reviewed[lang] < p.units)
                    )
                for user, kind, first, last, left in work:
                    is_open = p.active and left
                    if not p.active and left and self.rng.random() < 0.7:
                        continue  # not started: no assignment yet
                    self.assignment_id += 1
                    if is_open:
                        due = self.today + timedelta(days=self.rng.randint(-20, 60))
                    else:
                        due = (p.created + timedelta(days=self.rng.randint(20, 120))).date()
                    created = p.created + timedelta(days=1)
                    assignments.append(
                        (
                            self.assignment_id,
                            p.id,
                            edition,
                            user,
                            kind,
                            first,
                            last,
                            due,
                            "Please keep the house glossary." if self.rng.random() < 0.2 else "",
                            "open" if is_open else "closed",
                            p.coordinator,
                            created,
                            created if is_open else self.now - timedelta(days=3),
                        )
                    )
                    self.event_id += 1
                    events.append(
                        (
                            self.event_id,
                            self.assignment_id,
                            "created",
                            p.coordinator,
                            user,
                            "",
                            created,
                        )
                    )
                    if not is_open:
                        self.event_id += 1
                        events.append(
                            (
                                self.event_id,
                                self.assignment_id,
                                "closed",
                                p.coordinator,
                                user,
                                "",
                                self.now - timedelta(days=3),
                            )
                        )
        self._copy("document_members", "id, document_id, user_id, language, role", members)
        self._copy(
            "assignments",
            "id, document_id, edition_id, user_id, kind, first_unit_id, last_unit_id, due,"
            " note, state, created_by, created_at, updated_at",
            assignments,
        )
        self._copy(
            "assignment_events",
            "id, assignment_id, action, actor_id, user_id, detail, created_at",
            events,
        )

    # -- plumbing ---------------------------------------------------------------------------
    def _copy(self, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.counts.add(table, len(rows))

    def batches(self) -> Iterator[list[Plan]]:
        doc = 0
        while doc < self.args.documents:
            size = min(self.args.batch, self.args.documents - doc)
            yield [self.plan(doc + k + 1) for k in range(size)]
            doc += size

    def sequences(self) -> None:
        with self.conn.cursor() as cur:
            for table in (
                "users",
                "documents",
                "editions",
                "units",
                "segments",
                "revisions",
                "document_members",
                "assignments",
                "assignment_events",
            ):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )


# What the revisions' trigger decides (migration c9d4e2a7f160's backfill): revisions
# whose ``advanced`` differs from it.
ADVANCED_DISAGREE = """
SELECT count(*) FROM (
  SELECT advanced, author_id IS NOT NULL AND status IN ('translated', 'reviewed')
    AND reason NOT IN ('import', 'alignment', 'merge', 'split', 'move')
    AND (lag(status) OVER (PARTITION BY edition_id, unit_id ORDER BY id) IS DISTINCT FROM status)
    AS expected
  FROM revisions) AS r
WHERE advanced <> expected"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TRANSLATOR_BENCH_DATABASE_URL"),
        help="postgresql+psycopg://… of an empty database (or TRANSLATOR_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--units", type=int, default=1000, help="mean units per document")
    parser.add_argument("--active", type=float, default=0.1, help="share being worked on")
    parser.add_argument("--batch", type=int, default=25, help="documents per COPY")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--triggers", action="store_true", help="keep the counters' triggers on during the load"
    )
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("give --database-url postgresql+psycopg://… (PostgreSQL only)")
    started = time.perf_counter()
    app = bench_app(args.database_url)  # the migrations: the schema `translator init` makes
    migrated = time.perf_counter() - started
    url = args.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM documents")
            if cur.fetchone()[0]:  # type: ignore[index]
                sys.exit("the database already has documents: dropdb and createdb it first")
            if not args.triggers:
                for table, trigger in TRIGGERS.items():
                    cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        generator = Generator(conn, args)
        generator.people()
        loaded = 0
        for plans in generator.batches():
            generator.documents(plans)
            generator.cells(plans)
            generator.teams(plans)
            loaded += len(plans)
            if loaded % 100 < args.batch:
                elapsed = time.perf_counter() - started
                print(
                    f"  {loaded} documents, {generator.segment_id} segments, {elapsed:.0f} s",
                    flush=True,
                )
        generator.sequences()
        with conn.cursor() as cur:
            for table, trigger in TRIGGERS.items():
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        conn.commit()
    copied = time.perf_counter() - started - migrated
    step = time.perf_counter()
    with app.app_context():
        if not args.triggers:
            recount_progress()
            db.session.commit()
        recounted = time.perf_counter() - step
        step = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        analysed = time.perf_counter() - step
        step = time.perf_counter()
        disagree = db.session.execute(db.text(ADVANCED_DISAGREE)).scalar()
        mismatches = counter_mismatches()
        checked = time.perf_counter() - step
        totals = db.session.execute(
            db.text("SELECT sum(segments), sum(words) FROM edition_counts")
        ).one()
        segments = db.session.execute(db.text("SELECT count(*), sum(words) FROM segments")).one()
        db.session.remove()
    print(f"rows: {json.dumps(generator.counts.rows)}")
    print(
        f"migrations {migrated:.1f} s; COPY {copied:.1f} s"
        f" (triggers {'on' if args.triggers else 'off'});"
        f" recount {recounted:.1f} s; VACUUM ANALYZE {analysed:.1f} s; checks {checked:.1f} s"
    )
    print(f"total {time.perf_counter() - started:.1f} s")
    print(
        f"counters: {totals[0]} segments, {totals[1]} words;"
        f" table: {segments[0]} segments, {segments[1]} words"
    )
    print(f"revisions.advanced differing from the trigger's rule: {disagree}")
    print(f"counters differing from a full recount: {len(mismatches)}")
    for line in mismatches[:10]:
        print("  ", line)
    if disagree or mismatches or tuple(totals) != tuple(segments):
        sys.exit("the counters are wrong")
    print(
        f"sign in as fr05@scale.example … with the password {PASSWORD!r}"
        f" (admin@scale.example is the administrator)"
    )


if __name__ == "__main__":
    main()
