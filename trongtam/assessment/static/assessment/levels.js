// Bars of the number of people per level, by score alone and as classified; the table below has the same numbers.
(function () {
  "use strict";
  var node = document.getElementById("levels-chart");
  var source = document.getElementById("levels-data");
  if (!node || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(node, null, { renderer: "svg" });
  chart.setOption({
    color: ["#adb5bd", "#0d6efd"],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
