/* Behaviour pages ask for with data attributes. The Content-Security-Policy runs scripts from weimin's
 * own static files only: no inline <script>, no onclick= (docs/security.md).
 *
 *   <button data-print>                 prints the page (slips, notices)
 *   <select data-autosubmit>            submits its form when changed
 *   <div data-reload-after="20">        reloads the page after 20 s
 *   <a data-follow-after="45">          follows the link after 45 s (a kiosk returns to its start page)
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  function after(selector, attribute, act) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (element) {
      var seconds = parseFloat(element.getAttribute(attribute));
      if (seconds > 0) setTimeout(function () { act(element); }, seconds * 1000);
    });
  }
  after("[data-reload-after]", "data-reload-after", function () { location.reload(); });
  after("[data-follow-after]", "data-follow-after", function (link) { link.click(); });
})();
