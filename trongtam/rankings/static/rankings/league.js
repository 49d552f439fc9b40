// The league page's charts: per group, the number of units per level and per 5-point band of score.
// The tables beside each chart carry the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("league-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function bars(id, labels, values, name, color) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      color: [color],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 16, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
      series: [{ name: name, type: "bar", data: values }]
    });
    charts.push(chart);
  }
  data.groups.forEach(function (g) {
    bars("levels-" + g.key, g.levels.labels, g.levels.data, data.names.levels, "#0d6efd");
    bars("bands-" + g.key, g.bands.labels, g.bands.data, data.names.bands, "#198754");
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
