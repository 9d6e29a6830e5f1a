/* The municipality dashboard's charts (Chart.js, static/vendor/chartjs). Each <canvas
   data-chart="ID"> draws the JSON of <script type="application/json" id="ID">, which the server
   made from the table beside it: a suppressed figure ("< 5", "x") arrives as null and is left
   out of the chart, never drawn as its real value. The table stays the source of truth. */
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#e17000", "#39870c", "#8e4585", "#5c5c5c", "#007bc7"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var several = spec.datasets.length > 1;
    var datasets = spec.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0,
        spanGaps: false,
        pointRadius: 3
      };
    });
    var font = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.font.family = font;
    window.Chart.defaults.color = "#333";
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: several, position: "bottom" },
          tooltip: { enabled: true }
        },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          x: { ticks: { autoSkip: true, maxRotation: 0 } }
        }
      }
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
