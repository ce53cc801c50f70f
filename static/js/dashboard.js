// The dashboard: reload the table when progress changes. Server-sent events say when
// (a `progress` event per changed document); several within a second reload once.
// Without EventSource, or while the stream is down, the table is reloaded every minute.
const holder = document.getElementById("dashboard-rows");
const status = document.getElementById("dashboard-updated");

if (holder) {
  let timer = null;
  let busy = false;
  let again = false;

  const reload = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const response = await fetch(holder.dataset.rows, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (response.ok) {
        holder.innerHTML = await response.text(); // our own escaped template
        holder.dispatchEvent(new CustomEvent("dashboard:updated", { bubbles: true }));
        if (status) status.textContent = status.dataset.updated || "";
      }
    } catch (error) {
      // offline for a moment: the next event or the next minute tries again
    } finally {
      busy = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 1000);
  };

  let polling = null;
  const poll = () => {
    if (!polling) polling = setInterval(reload, 60000);
  };

  if (window.EventSource) {
    const source = new EventSource(holder.dataset.events);
    source.addEventListener("progress", schedule);
    source.addEventListener("open", () => {
      clearInterval(polling);
      polling = null;
    });
    source.addEventListener("error", poll); // the browser reconnects by itself meanwhile
  } else {
    poll();
  }
}
