/** The copy buttons beside secrets shown once: served from the gateway, as the CSP allows no inline script. */
export const copyJs = `
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
  if (!button) return;
  const id = button.getAttribute("data-copy");
  const source = document.getElementById(id);
  const status = document.querySelector('[data-copy-status="' + id + '"]');
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    if (status) status.textContent = "Copied.";
  } catch {
    if (status) status.textContent = "Copying failed: select the text and copy it.";
  }
});
`;
