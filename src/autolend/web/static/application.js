/* autolend application pages: a form is sent once (a second tap on its button while the
 * first is on its way is ignored: on a slow phone line it would file a second application,
 * or send a second signing code that voids the first); a form shown again with a problem
 * brings the input it names into view, focused. Loaded by the application pages only. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches("form[method=post]")) {
      return;
    }
    if (form.getAttribute("data-sending") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "true");
    form.setAttribute("aria-busy", "true");
    // Disabled after this event, so that the button still counts as the submitter.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back to a page from the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      form.removeAttribute("data-sending");
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });

  function showRefused() {
    if (!document.querySelector("[data-form-error]")) {
      return;
    }
    var input = document.querySelector("form [aria-invalid=true]");
    if (!input) {
      return;
    }
    input.scrollIntoView({ block: "center" });
    input.focus({ preventScroll: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showRefused);
  } else {
    showRefused();
  }
})();
