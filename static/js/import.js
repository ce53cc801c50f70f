// The import form: choosing the new document's project proposes the project's original
// language (each option's data-original), as /import?project=SLUG does on the server.
// A language the user typed themselves is kept; the server still checks what is posted.
const project = document.querySelector("select[name=project]");
const language = document.querySelector("input[name=language]");

function originalOf(select) {
  return select.selectedOptions[0]?.dataset.original || "";
}

if (project && language) {
  // The language last proposed: replaced by the next project's, unless edited since.
  let proposed = language.value.trim() === originalOf(project) ? language.value.trim() : "";
  project.addEventListener("change", () => {
    const original = originalOf(project);
    const typed = language.value.trim();
    if (!original || (typed && typed !== proposed)) return;
    language.value = original;
    proposed = original;
  });
}
