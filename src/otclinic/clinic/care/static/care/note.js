// The daily note page: minute steppers, and saving the draft when the page is left.
//
// Autosave while typing is htmx's (the #autosave element's triggers). This adds what htmx
// cannot: a last save when the tab is hidden or the page left (a beacon, which the browser
// delivers after the page is gone), and no autosave while a conflict waits for the clinician's
// choice (keep mine / load theirs).
(function () {
  "use strict";

  var dirty = false;

  function noteForm() {
    return document.getElementById("note-form");
  }

  // A conflict waits for the clinician's choice while its message is on the page.
  function inConflict() {
    return document.querySelector("#autosave-status [data-conflict]") !== null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-step]");
    if (!button) {
      return;
    }
    var input = document.getElementById(button.getAttribute("aria-controls"));
    if (!input) {
      return;
    }
    var current = parseInt(input.value || "0", 10) || 0;
    var max = parseInt(input.getAttribute("max") || "120", 10);
    var next = Math.min(max, Math.max(0, current + parseInt(button.dataset.step, 10)));
    input.value = String(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function markDirty(event) {
    var form = noteForm();
    if (!form || event.target.form !== form) {
      return;
    }
    dirty = true;
    // Minutes typed on the number pad update the billing preview without leaving the field.
    if (event.type === "input" && event.target.type === "number") {
      form.dispatchEvent(new CustomEvent("minutes-typed"));
    }
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  document.addEventListener("submit", function (event) {
    if (event.target === noteForm()) {
      dirty = false; // the form's own save or signature carries everything
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = noteForm();
    if (!form || event.detail.elt.id !== "autosave") {
      return;
    }
    if (inConflict()) {
      event.preventDefault();
      return;
    }
    dirty = false;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.id !== "autosave") {
      return;
    }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status !== 200 && status !== 422 && status !== 409) {
      dirty = true; // not answered: the next pause or leaving the page tries again
    }
  });

  function saveOnLeaving() {
    var form = noteForm();
    if (!form || !dirty || inConflict() || !navigator.sendBeacon) {
      return;
    }
    dirty = false;
    navigator.sendBeacon(form.dataset.autosaveUrl, new FormData(form));
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      saveOnLeaving();
    }
  });
  window.addEventListener("pagehide", saveOnLeaving);

  // An accepted proposal of the assistant (assistant/views.proposal_decide's event): its line
  // of the grammar takes the unread line's place in the shorthand box, and the box's reading
  // fills its row as for a typed line.
  document.body.addEventListener("assistant-line-accepted", function (event) {
    var box = document.querySelector("#shorthand textarea");
    if (!box || !event.detail) {
      return;
    }
    var lines = box.value.split("\n");
    var at = lines.map(function (l) { return l.trim(); }).indexOf(event.detail.line);
    if (at < 0) {
      lines.push(event.detail.text);
    } else {
      lines[at] = event.detail.text;
    }
    box.value = lines.join("\n");
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
