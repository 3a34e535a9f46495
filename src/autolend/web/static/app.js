/* autolend web UI: draws every [data-echarts] element from the JSON option in the
 * <script type="application/json"> element it names (CSP forbids inline scripts), on page
 * load and after every HTMX swap, and keeps the charts sized to their boxes. */
(function () {
  "use strict";

  var charts = [];

  function readOption(element) {
    var source = document.getElementById(element.getAttribute("data-echarts"));
    if (!source) {
      return null;
    }
    try {
      return JSON.parse(source.textContent || "null");
    } catch (error) {
      console.error("autolend: chart option is not valid JSON", error);
      return null;
    }
  }

  function initCharts(root) {
    if (typeof window.echarts === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("[data-echarts]").forEach(function (element) {
      if (element.getAttribute("data-echarts-ready") === "true") {
        return;
      }
      var option = readOption(element);
      if (!option) {
        return;
      }
      // The CSP forbids inline style attributes, which ECharts' HTML tooltips use:
      // draw every tooltip on the canvas instead.
      if (option.tooltip && !option.tooltip.renderMode) {
        option.tooltip.renderMode = "richText";
      }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.on("finished", function () {
        element.setAttribute("data-echarts-rendered", "true");
      });
      chart.setOption(option);
      element.setAttribute("data-echarts-ready", "true");
      charts.push(chart);
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      charts = charts.filter(function (chart) { return !chart.isDisposed(); });
      charts.forEach(function (chart) { chart.resize(); });
    }, 120);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    initCharts(event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  } else {
    initCharts(document);
  }
})();
