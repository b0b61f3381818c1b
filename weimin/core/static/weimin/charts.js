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
    var option = JSON.parse(data.textContent);
    // ECharts' HTML tooltip writes style attributes, which the CSP refuses: draw tooltips on the canvas.
    var base = option.baseOption || option;  // an option with media queries keeps its tooltip in baseOption
    if (base.tooltip && !Array.isArray(base.tooltip)) base.tooltip.renderMode = "richText";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
