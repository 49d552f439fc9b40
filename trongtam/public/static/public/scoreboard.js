// The public scoreboard's charts: per group, the on-time rate of the ranked units of the page, best first.
// The table below each chart carries the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("scoreboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  data.groups.forEach(function (g) {
    var node = document.getElementById("chart-" + g.key);
    if (!node || !g.labels.length) { return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      color: ["#198754"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 8, right: 24, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: g.labels, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
      series: [{ name: data.name, type: "bar", data: g.data }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
