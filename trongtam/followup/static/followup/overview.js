// Stacked bars of the Government's 2×2 for the overview page; the tables below carry the same numbers.
(function () {
  "use strict";
  var colours = ["#198754", "#ffc107", "#0d6efd", "#dc3545"];
  function draw(chartId, dataId) {
    var node = document.getElementById(chartId);
    var source = document.getElementById(dataId);
    if (!node || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      color: colours,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "total", data: s.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("vc-chart", "vc-data");
  draw("unit-chart", "unit-data");
})();
