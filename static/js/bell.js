// The bell in the top bar: its unread count follows the signed-in person's
// notifications live (server-sent events; the browser reconnects by itself).
(() => {
  const bell = document.getElementById("bell");
  if (!bell || !window.EventSource) return;
  const count = bell.querySelector("[data-unread]");
  const show = (unread) => {
    count.textContent = String(unread);
    bell.classList.toggle("unread", unread > 0);
  };
  const events = new EventSource(bell.dataset.events);
  events.addEventListener("notification", (event) => {
    const data = JSON.parse(event.data);
    show(data.unread);
    if (data.notification) bell.title = data.notification.text;
  });
  window.addEventListener("pagehide", () => events.close());
})();
