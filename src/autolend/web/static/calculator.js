/* autolend loan calculator (/calculator): product presets, the down-payment unit switch,
 * money tooltips on the charts, and language links that keep the visitor's figures.
 * The charts themselves are drawn by app.js from the JSON blocks of the result fragment;
 * the quote is computed on the server (HTMX), never here.  No inline script (CSP). */
(function () {
  "use strict";

  var RESULT_ID = "quote-result";
  var ERROR_ID = "quote-error";

  function form() {
    return document.querySelector("[data-calculator-form]");
  }

  function numberOf(input) {
    var value = parseFloat(input && input.value);
    return isFinite(value) ? value : null;
  }

  /* A product preset fills in its rate (and the rate box's bounds: its product's range)
   * and fee toggles, and lists its product's terms; the visitor may change them. */
  function applyPreset(select) {
    var option = select.options[select.selectedIndex];
    var root = form();
    if (!option || !root) {
      return;
    }
    var rate = root.querySelector("[data-rate-input]");
    if (rate) {
      rate.value = option.getAttribute("data-rate");
      rate.min = option.getAttribute("data-rate-min") || "0";
      rate.max = option.getAttribute("data-rate-max") || "100";
    }
    var charged = (option.getAttribute("data-fees") || "").split(" ");
    root.querySelectorAll("[data-fee]").forEach(function (box) {
      box.checked = charged.indexOf(box.getAttribute("data-fee")) >= 0;
    });
    offerTerms(root.querySelector("[data-term-select]"), option);
  }

  /* The term list offers the preset's product's terms only (the used-car loan: 12, 24 or
   * 36 months); a term it does not offer becomes the longest one below it (else its
   * shortest). */
  function offerTerms(select, option) {
    var terms = (option.getAttribute("data-terms") || "").split(" ").filter(Boolean);
    if (!select || terms.length === 0) {
      return;
    }
    var current = parseInt(select.value, 10);
    var label = select.getAttribute("data-term-label") || "{months}";
    var chosen = terms[0];
    terms.forEach(function (term) {
      if (parseInt(term, 10) <= current) {
        chosen = term;
      }
    });
    while (select.options.length > 0) {
      select.remove(0);
    }
    terms.forEach(function (term) {
      var item = new Option(label.replace("{months}", term), term);
      item.selected = term === chosen;
      select.add(item);
    });
  }

  /* Switching the down payment between percent and an amount keeps the same amount. */
  function convertDownPayment(select) {
    if (select.getAttribute("data-mode") === select.value) {
      return;
    }
    select.setAttribute("data-mode", select.value);
    var root = form();
    var price = numberOf(root && root.querySelector("[name=price]"));
    var down = root && root.querySelector("[name=down]");
    var value = numberOf(down);
    if (!down || price === null || price <= 0 || value === null) {
      return;
    }
    var converted = select.value === "amount" ? price * value / 100 : value / price * 100;
    down.value = String(Math.round(converted * 100) / 100);
  }

  /* The yuan is "¥" in English too, as the page's own amounts write it (its home
   * symbol; the browser's English says "CN¥"); other currencies keep the language's. */
  function currencyFormat(lang, currency) {
    if (currency === "CNY") {
      try {
        return new Intl.NumberFormat(lang, {
          style: "currency", currency: currency, currencyDisplay: "narrowSymbol"
        });
      } catch (error) {
        /* a browser without narrowSymbol: its own symbol below */
      }
    }
    return new Intl.NumberFormat(lang, { style: "currency", currency: currency });
  }

  /* The tooltips state amounts in the quote's currency: the page's (its pack's, e.g.
   * USD under the US pack), never yuan for dollars. */
  function moneyFormatter() {
    var lang = document.documentElement.lang || "zh-CN";
    var root = form();
    var currency = (root && root.getAttribute("data-currency")) || "CNY";
    try {
      var format = currencyFormat(lang, currency);
      return function (value) {
        return typeof value === "number" ? format.format(value) : value;
      };
    } catch (error) {
      return null;
    }
  }

  function decorateCharts(root) {
    var formatter = moneyFormatter();
    if (!formatter || typeof window.echarts === "undefined" || !root) {
      return;
    }
    root.querySelectorAll("[data-echarts]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) {
        chart.setOption({ tooltip: { valueFormatter: formatter } });
      }
    });
  }

  function disposeCharts(root) {
    if (typeof window.echarts === "undefined" || !root) {
      return;
    }
    root.querySelectorAll("[data-echarts]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) {
        chart.dispose();
      }
    });
  }

  /* A refused quote marks the input it names (data-error-input) as invalid, described by
   * the message, as the server does on a full page; the inputs of an earlier refusal
   * are unmarked. Where the results sit below the form (a phone), the message would be
   * off screen, so a copy stands under the input's field (CSS shows it only there;
   * aria-hidden: a screen reader hears the message itself once). */
  function markInvalidInput() {
    var root = form();
    if (!root) {
      return;
    }
    root.querySelectorAll("[aria-describedby=" + ERROR_ID + "]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    root.querySelectorAll("[data-inline-quote-error]").forEach(function (copy) {
      copy.remove();
    });
    var message = document.getElementById(ERROR_ID);
    var input = message && document.getElementById(message.getAttribute("data-error-input"));
    if (input && root.contains(input)) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", ERROR_ID);
      var copy = document.createElement("p");
      copy.className = "calc__inline-error";
      copy.setAttribute("aria-hidden", "true");
      copy.setAttribute("data-inline-quote-error", "");
      copy.textContent = message.textContent;
      (input.closest(".field") || input.parentNode).appendChild(copy);
    }
  }

  /* The language switch returns to the current address, figures included. */
  function updateLanguageLinks() {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll("a[data-lang]").forEach(function (link) {
      var code = link.getAttribute("data-lang");
      link.setAttribute("href", "/lang/" + code + "?next=" + encodeURIComponent(here));
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLSelectElement)) {
      return;
    }
    if (target.hasAttribute("data-product-select")) {
      applyPreset(target);
    } else if (target.hasAttribute("data-down-mode")) {
      convertDownPayment(target);
    }
  }, true);  /* capture: the fields are updated before HTMX reads the form */

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === RESULT_ID) {
      disposeCharts(event.detail.target);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    decorateCharts(event.target);
    if (event.target && event.target.id === RESULT_ID) {
      markInvalidInput();
    }
    updateLanguageLinks();
  });

  document.addEventListener("htmx:pushedIntoHistory", updateLanguageLinks);

  function start() {
    decorateCharts(document.getElementById(RESULT_ID));
    markInvalidInput();  /* a full page that came back refused (no swap yet) */
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
