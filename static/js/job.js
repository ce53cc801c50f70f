// Live progress of a background job: polls the job's JSON until it is done, then shows
// why it failed and offers Retry when the server says it may be retried.
(function () {
  const root = document.querySelector("[data-job-url]");
  if (!root) return;
  const url = root.dataset.jobUrl;
  const bar = root.querySelector("progress");
  const stateBox = root.querySelector(".job-state");
  const retry = root.querySelector(".job-retry");
  const retried = root.querySelector(".job-retried");

  function show(payload) {
    bar.value = payload.progress;
    bar.textContent = payload.progress + "%";
    stateBox.dataset.state = payload.state;
    stateBox.querySelectorAll("[class^='state-']").forEach((el) => {
      el.hidden = !el.classList.contains("state-" + payload.state);
    });
    stateBox.querySelector(".percent").textContent = payload.progress;
    stateBox.querySelector(".job-message").textContent = payload.message || "";
    stateBox.querySelector(".job-stalled").hidden = !payload.stalled;
    if (payload.url) stateBox.querySelector(".result-link").href = payload.url;
    retry.hidden = !payload.can_retry;
    if (payload.retried_url) retried.querySelector("a").href = payload.retried_url;
    retried.hidden = !payload.retried_url;
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const payload = await response.json();
        show(payload);
        if (payload.done) {
          // A job whose page shows its result (a report) renders it on the server.
          if (root.hasAttribute("data-reload-when-done")) window.location.reload();
          return;
        }
      }
    } catch (err) {
      // The server may be restarting: keep polling.
    }
    setTimeout(poll, 500);
  }
  poll();
})();
