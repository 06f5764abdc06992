// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // The navigation as a menu at phone width (the stylesheet folds it only when this runs).
  const toggle = document.getElementById("menu-toggle");
  const header = toggle?.closest("header");
  if (toggle && header) {
    toggle.hidden = false;
    header.classList.add("folding");
    toggle.addEventListener("click", () => {
      const open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // Ask before actions marked as consequential (revoking a token, deactivating a user,
  // retracting a tenure).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Copy buttons (a new API token): shown only where this script runs.
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const target = document.getElementById(button.dataset.copy);
      if (!target) return;
      const text = target.textContent.trim();
      try {
        await navigator.clipboard.writeText(text);
      } catch (_) {
        // No clipboard permission (plain HTTP, say): select the text for Ctrl+C instead.
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      if (button.dataset.copied) button.textContent = button.dataset.copied;
    });
  }
});
