"""Editor in headless Chromium on a 10 000-unit × 3-edition document: first paint (time
until the first editable cell is on screen), a jump to the end of the document, and
typing latency (key down → the frame that shows the character, painted), each beside a
baseline measured in the same run: the server-rendered document page (first 100 rows)
for first paint, and a bare page with one textarea for typing.

    python bench/editor_bench.py [--units 10000] [--keys 120]
    TRANSLATOR_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/translator_bench \
        python bench/editor_bench.py        # on PostgreSQL (default: SQLite)

Goals (issue 4): first paint < 1 s and typing latency < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import threading
from typing import Any

from _common import bench_app, pg_url
from werkzeug.serving import make_server

from translator.extensions import db
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.users import create_user

CHROMIUM = os.environ.get("TRANSLATOR_TEST_CHROMIUM", "/usr/bin/chromium")

# Installed before any page script: when the first matching element is added, note the
# time of the next painted frame (rAF, then a message posted after it runs past paint).
FIRST_CELL_PROBE = """
(() => {
  const selector = window.__probeSelector || ".cell[data-seg]";
  const done = (t) => { window.__firstCell = t; };
  const check = () => {
    if (window.__firstCell !== undefined) return true;
    if (document.querySelector(selector)) {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done(performance.now());
        channel.port2.postMessage(0);
      });
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})();
"""

# Typing latency: keydown timestamp → after the next frame is painted.
TYPING_PROBE = """
(() => {
  window.__latencies = [];
  document.addEventListener("keydown", (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.__latencies.push(performance.now() - start);
      channel.port2.postMessage(0);
    });
  }, true);
})();
"""

BARE_TEXTAREA = "<!doctype html><title>bare</title><textarea id=t rows=3 cols=60></textarea>"


def build_document(app: Any, units: int) -> str:
    with app.app_context():
        create_user("bench@example.org", "benchmark-pass", is_admin=True)
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
    return slug


def serve(app: Any) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


def first_paint(context: Any, url: str, selector: str) -> float:
    page = context.new_page()
    page.add_init_script(f"window.__probeSelector = {selector!r};" + FIRST_CELL_PROBE)
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.__firstCell !== undefined", timeout=30_000)
    value = float(page.evaluate("window.__firstCell"))
    page.close()
    return value


def jump_to_end(context: Any, url: str) -> float:
    """Time from scrolling to the bottom until the last unit's cells are painted."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".cell[data-seg]")
    elapsed = page.evaluate(
        """(last) => new Promise((resolve) => {
            const start = performance.now();
            window.scrollTo(0, document.documentElement.scrollHeight);
            const poll = () => {
              const row = document.querySelector('.row.unit[data-pos="' + last + '"]');
              const seen = row && row.querySelector('.cell[data-seg]');
              if (seen) requestAnimationFrame(() => resolve(performance.now() - start));
              else { window.scrollTo(0, document.documentElement.scrollHeight);
                     setTimeout(poll, 5); }
            };
            poll();
          })""",
        ARGS.units - 1,
    )
    page.close()
    return float(elapsed)


def typing(context: Any, url: str | None, keys: int) -> list[float]:
    page = context.new_page()
    page.add_init_script(TYPING_PROBE)
    if url is None:
        page.set_content(BARE_TEXTAREA)
        page.evaluate(TYPING_PROBE)  # set_content is not a navigation: no init script
        page.click("#t")
    else:
        page.goto(url)
        page.wait_for_selector(".cell[data-seg][data-lang=fr]")
        page.click(".cell[data-seg][data-lang=fr]")
        page.wait_for_selector("textarea.cell-input")
    page.evaluate("window.__latencies = []")
    text = ("lorem ipsum dolor sit amet " * (keys // 20 + 1))[:keys]
    page.keyboard.type(text, delay=40)
    page.wait_for_timeout(300)
    latencies = [float(v) for v in page.evaluate("window.__latencies")]
    page.close()
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    from playwright.sync_api import sync_playwright

    app = bench_app(pg_url())
    slug = build_document(app, ARGS.units)
    base = serve(app)
    editor_url = f"{base}/documents/{slug}/edit"
    page_url = f"{base}/documents/{slug}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        login = context.new_page()
        login.goto(base + "/login")
        login.fill("input[name=email]", "bench@example.org")
        login.fill("input[name=password]", "benchmark-pass")
        login.click("button[type=submit]")
        login.wait_for_url(base + "/")
        login.close()
        first_paint(context, editor_url, ".cell[data-seg]")  # warm up both
        first_paint(context, page_url, "td.cell")
        editor = [first_paint(context, editor_url, ".cell[data-seg]") for _ in range(ARGS.repeat)]
        server_page = [first_paint(context, page_url, "td.cell") for _ in range(ARGS.repeat)]
        jumps = [jump_to_end(context, editor_url) for _ in range(3)]
        typed = typing(context, editor_url, ARGS.keys)
        bare = typing(context, None, ARGS.keys)
        browser.close()

    backend = "postgresql" if pg_url() else "sqlite"
    print(f"editor, {ARGS.units} units x 3 editions on {backend}, headless Chromium")
    fp, sp = statistics.median(editor), statistics.median(server_page)
    print(f"  first paint      median {fp:7.1f} ms  max {max(editor):7.1f} ms   (goal < 1000 ms)")
    print(f"  document page    median {sp:7.1f} ms  (baseline: server-rendered first 100 rows)")
    print(f"  ratio editor / document page: {fp / sp:.2f}x")
    print(f"  jump to the end  median {statistics.median(jumps):7.1f} ms")
    p50, p99 = pct(typed, 0.5), pct(typed, 0.99)
    b50, b99 = pct(bare, 0.5), pct(bare, 0.99)
    print(
        f"  typing latency   p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  n={len(typed)}  (goal < 50 ms)"
    )
    print(f"  bare textarea    p50 {b50:6.1f} ms  p99 {b99:6.1f} ms  n={len(bare)}  (baseline)")
    print(f"  ratio typing p99 editor / bare: {p99 / b99:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    ARGS = parser.parse_args()
    main()
