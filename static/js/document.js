// Document page and split page, progressive enhancement only: every form works without
// this file (it posts, the server redirects back to the row it changed).
(function () {
  // --- fix menus: one open at a time; Escape or a click elsewhere closes it ---------
  function closeMenus(except) {
    document.querySelectorAll("details.fixes[open]").forEach((menu) => {
      if (menu !== except) menu.open = false;
    });
  }
  document.addEventListener(
    "toggle",
    (event) => {
      const menu = event.target;
      if (menu.matches && menu.matches("details.fixes") && menu.open) closeMenus(menu);
    },
    true, // "toggle" does not bubble
  );
  document.addEventListener("click", (event) => {
    if (!event.target.closest("details.fixes")) closeMenus(null);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = document.querySelector("details.fixes[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  // --- fixes and undo without a full reload -----------------------------------------
  // The response (the page the server redirects to) replaces <main>; the row acted on
  // stays where it was on screen, so a series of fixes does not jump around.
  function swapMain(html, rowId, rowTop) {
    const next = new DOMParser().parseFromString(html, "text/html");
    const main = next.querySelector("main");
    if (!main) return false;
    const scrollY = window.scrollY;
    document.querySelector("main").replaceWith(main);
    if (next.title) document.title = next.title;
    const row = rowId && document.getElementById("u" + rowId);
    if (row && rowTop !== null) {
      window.scrollTo(0, window.scrollY + row.getBoundingClientRect().top - rowTop);
      const summary = row.querySelector("details.fixes summary");
      if (summary) summary.focus({ preventScroll: true });
    } else {
      window.scrollTo(0, scrollY);
    }
    return true;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches(".fix-menu, .undo-form") || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    const submitter = event.submitter;
    const action =
      submitter && submitter.hasAttribute("formaction") ? submitter.formAction : form.action;
    const row = form.closest("tr.unit");
    const rowId = row ? row.dataset.unit : null;
    const rowTop = row ? row.getBoundingClientRect().top : null;
    if (row) row.classList.add("busy");
    form.querySelectorAll("button").forEach((button) => (button.disabled = true));
    try {
      const body = new FormData(form);
      if (submitter && submitter.name) body.append(submitter.name, submitter.value);
      const response = await fetch(action, { method: "POST", body, credentials: "same-origin" });
      const html = await response.text();
      if (response.ok && response.redirected) {
        history.replaceState(null, "", response.url);
      }
      if (!swapMain(html, rowId, rowTop)) window.location.reload();
    } catch (err) {
      // The server is unreachable: show the page as it is now.
      window.location.reload();
    }
  });

  // --- split page: preview the two parts of the chosen cut --------------------------
  function plain(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
  }
  document.querySelectorAll("form.split-form[data-text]").forEach((form) => {
    const text = form.dataset.text;
    const preview = form.querySelector(".split-preview");
    const offsetInput = form.querySelector("input[type=number]");
    function update() {
      const chosen = form.querySelector("input[type=radio][name$='-boundary']:checked");
      if (!chosen) return;
      const offset = chosen.value === "offset" ? parseInt(offsetInput.value, 10) : parseInt(chosen.value, 10);
      if (!(offset > 0 && offset < text.length)) {
        preview.hidden = true;
        return;
      }
      preview.querySelector(".head").textContent = plain(text.slice(0, offset));
      preview.querySelector(".tail").textContent = plain(text.slice(offset));
      preview.hidden = false;
    }
    form.addEventListener("change", update);
    if (offsetInput) {
      offsetInput.addEventListener("input", () => {
        const custom = form.querySelector("input[type=radio][value='offset']");
        if (custom) custom.checked = true;
        update();
      });
    }
    update();
  });
})();
