// Charts of the dossier statistics page; the tables beside them carry the same numbers.
(function () {
  "use strict";
  var colours = ["#198754", "#0d6efd", "#dc3545"];
  var language = document.documentElement.lang || "vi";
  function percent(value) {
    if (value === null || value === undefined) { return "—"; }
    return value.toLocaleString(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " %";
  }
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function start(id) {
    var node = document.getElementById(id);
    if (!node || typeof echarts === "undefined") { return null; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  var units = read("unit-chart-data");
  var rateChart = units && start("unit-rate-chart");
  if (rateChart) {
    rateChart.setOption({
      color: ["#0d6efd"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: percent },
      grid: { left: 8, right: 24, bottom: 8, top: 24, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
      yAxis: { type: "category", data: units.labels, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
      series: [{ name: units.rateName, type: "bar", data: units.rate, label: { show: true, position: "right", formatter: function (p) { return percent(p.value); } } }]
    });
  }
  var splitChart = units && start("unit-split-chart");
  if (splitChart) {
    splitChart.setOption({
      color: colours,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: units.labels, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
      series: units.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data }; })
    });
  }
  var months = read("month-chart-data");
  var monthChart = months && start("month-chart");
  if (monthChart) {
    var series = months.counts.map(function (s) { return { name: s.name, type: "bar", data: s.data }; });
    months.rates.forEach(function (s) { series.push({ name: s.name, type: "line", yAxisIndex: 1, data: s.data, connectNulls: false }); });
    monthChart.setOption({
      color: ["#6c757d", "#0d6efd", "#198754", "#dc3545"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return Number.isInteger(v) ? v.toLocaleString(language) : percent(v); } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 48, containLabel: true },
      xAxis: { type: "category", data: months.labels },
      yAxis: [
        { type: "value", name: months.countAxis, minInterval: 1 },
        { type: "value", name: months.rateAxis, min: 0, max: 100 }
      ],
      series: series
    });
  }
})();
