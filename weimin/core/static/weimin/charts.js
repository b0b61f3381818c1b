/* Apache ECharts on the analytics pages (vendored: static/vendor/echarts). The CSP allows no inline
 * script, so a chart's option comes as JSON data: {{ option|json_script:"chart-visits" }} next to
 * <div class="chart" data-chart="chart-visits"></div>. Charts resize with the window (wall screens, phones).
 */
(function () {
  "use strict";
  if (!window.echarts) return;
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (element) {
    var data = document.getElementById(element.getAttribute("data-chart"));
    if (!data) return;
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(JSON.parse(data.textContent));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
