/* The web check: focus the question a link points at, and show Print and Copy (they need a script).
   Nothing is stored in the browser, and the page works without this file. */
"use strict";

(function () {
  function focusLinkedField() {
    const target = window.location.hash.startsWith("#field-") && document.getElementById(window.location.hash.slice(1));
    if (!target) return;
    const details = target.closest("details");
    if (details) details.open = true;
    target.focus();
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const notes = document.getElementById("case-notes");
    notes.closest("details").open = true;
    notes.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function setUpTools() {
    const print = document.getElementById("print");
    const copy = document.getElementById("copy");
    const notes = document.getElementById("case-notes");
    const status = document.getElementById("copy-status");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
    if (copy && notes) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        copyText(notes.value).then(function () { status.textContent = copy.dataset.copied; },
                                   function () { status.textContent = copy.dataset.failed; });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpTools();
    focusLinkedField();
    window.addEventListener("hashchange", focusLinkedField);
  });
})();
