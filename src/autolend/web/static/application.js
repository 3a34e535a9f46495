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

  // The term menu offers the chosen product's own terms (a used-car loan: 12, 24 or 36
  // months), every term the form knows when none is chosen; the term picked stays picked
  // where the other product offers it too.
  function followProduct() {
    var product = document.getElementById("f-product_code");
    var term = document.getElementById("f-term_months");
    if (!product || !term || !term.getAttribute("data-terms")) {
      return;
    }
    var terms = {};
    try {
      terms = JSON.parse(term.getAttribute("data-product-terms") || "{}");
    } catch (error) {
      return;
    }
    product.addEventListener("change", function () {
      var own = terms[product.value] || "";
      var picked = term.value;
      while (term.firstChild) {
        term.removeChild(term.firstChild);
      }
      (own || term.getAttribute("data-terms")).split(" ").forEach(function (months) {
        var choice = document.createElement("option");
        choice.value = months;
        choice.textContent = months;
        choice.selected = months === picked;
        term.appendChild(choice);
      });
    });
  }

  function ready() {
    showRefused();
    followProduct();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
