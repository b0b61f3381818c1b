/* Intake: the company's fields (credit code, its override, the agent) show only for a company. */
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  function show() {
    document.querySelectorAll("[data-company-only]").forEach(function (field) {
      field.hidden = kind.value !== "company";
    });
  }
  kind.addEventListener("change", show);
  show();
})();
