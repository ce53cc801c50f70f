// The Members page: suggest people by name or e-mail as one types in "Add a member".
const input = document.querySelector("input[data-suggest]");
const list = document.getElementById("member-suggestions");
let timer = null;
let asked = "";

async function suggest() {
  const query = input.value.trim();
  if (query.length < 2 || query === asked) return;
  asked = query;
  const url = `${input.dataset.suggest}?q=${encodeURIComponent(query)}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok || input.value.trim() !== query) return;
  const { users } = await response.json();
  list.replaceChildren(
    ...users.map((user) => {
      const option = document.createElement("option");
      option.value = user.email;
      option.label = user.name ? `${user.name} <${user.email}>` : user.email;
      option.textContent = option.label;
      return option;
    }),
  );
}

if (input && list) {
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => suggest().catch(() => {}), 150);
  });
}
