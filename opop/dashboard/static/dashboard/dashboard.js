/* Programme dashboard: the kab/kota bar chart and the year picker. Data comes from the
   json_script element "dashboard-chart"; nothing here builds HTML from it. */
(function () {
  "use strict";

  var yearForm = document.getElementById("year-form");
  if (yearForm) {
    var button = document.getElementById("year-submit");
    if (button) { button.hidden = true; }
    document.getElementById("year").addEventListener("change", function () { yearForm.submit(); });
  }

  var dataElement = document.getElementById("dashboard-chart");
  var canvas = document.getElementById("regency-chart");
  if (!dataElement || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataElement.textContent);
  var colours = ["#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#20c997"];
  var picker = document.getElementById("chart-series");

  function dataset(index) {
    var series = data.series[index];
    return { label: series.label, data: series.data, backgroundColor: colours[index % colours.length] };
  }

  var chart = new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [dataset(0)] },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0 } },
        y: { ticks: { autoSkip: false, font: { size: 11 } } }
      }
    }
  });

  if (picker) {
    picker.addEventListener("change", function () {
      chart.data.datasets = [dataset(Number(picker.value))];
      chart.update();
    });
  }
})();
