/**
 * The template editor's live preview: as the operator types, the form goes to the console's
 * preview route (CSRF token included) and the answer replaces the preview. Built with
 * `textContent` only: template output is never markup.
 */
export const templateEditorJs = `
(() => {
  const form = document.querySelector("form[data-preview-url]");
  const result = document.getElementById("preview-result");
  if (!form || !result) return;
  let timer;
  let asked = 0;

  const show = (answer) => {
    result.replaceChildren();
    if (answer.title !== undefined) {
      const list = document.createElement("dl");
      list.className = "facts";
      for (const [term, text] of [["Title", answer.title], ["Body", answer.body], ["Locale used", answer.locale_used]]) {
        const dt = document.createElement("dt");
        dt.textContent = term;
        const dd = document.createElement("dd");
        dd.textContent = text;
        list.append(dt, dd);
      }
      result.append(list);
      return;
    }
    const line = document.createElement("p");
    line.textContent = "No preview: " + (answer.errors || []).map((e) => e.path + ": " + e.message).join("; ");
    result.append(line);
  };

  const refresh = async () => {
    const mine = ++asked;
    let answer;
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { accept: "application/json" },
        credentials: "same-origin",
      });
      answer = (response.headers.get("content-type") || "").includes("json")
        ? await response.json()
        : { errors: [{ path: "(console)", message: "the preview was refused; reload the page" }] };
    } catch {
      answer = { errors: [{ path: "(console)", message: "the gateway did not answer" }] };
    }
    if (mine === asked) show(answer);
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
`;
