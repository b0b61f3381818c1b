/* The window console's keyboard shortcuts: a clerk keeps both hands on the keyboard while checking
 * documents. Space or F1 call next · R recall · S serving · C complete · N no-show · T transfer. */
(function () {
  "use strict";
  var keys = {" ": "call-next", "F1": "call-next", "r": "recall", "s": "serving", "c": "complete", "n": "no-show"};
  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === "t") {
      var field = document.querySelector("#transfer-item");
      if (field) { field.focus(); event.preventDefault(); }
      return;
    }
    var action = keys[event.key] || keys[event.key.toLowerCase()];
    var button = action && document.querySelector('[data-action="' + action + '"]:not([disabled])');
    if (!button) return;
    event.preventDefault();
    // Straight to htmx: a key pressed just as the panel refreshes must not land on a button htmx has
    // not wired up yet.
    htmx.ajax("POST", button.getAttribute("hx-post"), {source: button, target: "#panel", swap: "innerHTML"});
  });

  // The time since the call, counted on from what the server said at each refresh of the panel.
  setInterval(function () {
    document.querySelectorAll(".timer[data-seconds]").forEach(function (timer) {
      var seconds = Number(timer.dataset.seconds) + 1;
      timer.dataset.seconds = seconds;
      timer.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    });
  }, 1000);
})();
