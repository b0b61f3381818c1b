/* The kiosk (取号机): its on-screen keypad, its scanner's field, printing at once, going home by itself.
 *
 *   <header id="kiosk" data-home="/…/kiosk/" data-idle="60">  back to the start page after 60 s untouched
 *   <input data-scan>                  a scanner (keyboard wedge) types a code and Enter here: kept focused
 *   <input data-keypad-field>          typed with the keypad (inputmode=none: no system keyboard)
 *   <div data-keypad>  <button data-key="7"> <button data-key-back> <button data-key-clear>
 *   <div data-print-now>               prints the page as soon as it is shown (the slip on an enrolled kiosk)
 */
(function () {
  "use strict";
  var kiosk = document.getElementById("kiosk");
  var scan = document.querySelector("[data-scan]");
  var fields = document.querySelectorAll("[data-keypad-field]");
  var target = fields[0] || null;

  function choose(field) {
    if (target) target.classList.remove("keypad-target");
    target = field;
    if (target) target.classList.add("keypad-target");
  }
  choose(target);

  // Touching a keypad field makes it the keypad's target. Where a scanner's field exists, focus goes
  // back to it at once, so a code scanned at any moment lands there and not in a half-typed field.
  document.addEventListener("focusin", function (event) {
    var field = event.target.closest && event.target.closest("[data-keypad-field]");
    if (field) choose(field);
    if (scan && event.target !== scan) scan.focus();
  });
  document.addEventListener("pointerdown", function (event) {
    var field = event.target.closest && event.target.closest("[data-keypad-field]");
    if (field) choose(field);
    if (event.target.closest && event.target.closest("[data-keypad]")) event.preventDefault(); // keep focus
  });
  if (scan) {
    scan.focus();
    scan.addEventListener("blur", function () { setTimeout(function () { scan.focus(); }, 0); });
  }

  document.addEventListener("click", function (event) {
    var key = event.target.closest && event.target.closest("[data-key], [data-key-back], [data-key-clear]");
    if (!key || !target) return;
    var value = target.value;
    if (key.hasAttribute("data-key-back")) value = value.slice(0, -1);
    else if (key.hasAttribute("data-key-clear")) value = "";
    else value = value + key.getAttribute("data-key");
    var limit = parseInt(target.getAttribute("maxlength"), 10);
    target.value = limit > 0 ? value.slice(0, limit) : value;
  });

  if (document.querySelector("[data-print-now]")) window.print();

  // Inactivity: a half-filled screen must not wait for the next stranger.
  var idle = kiosk ? parseFloat(kiosk.getAttribute("data-idle")) : 0;
  var home = kiosk ? kiosk.getAttribute("data-home") : "";
  if (idle > 0 && home && location.pathname !== home) {
    var timer = null;
    var restart = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { location.assign(home); }, idle * 1000);
    };
    ["pointerdown", "keydown", "input"].forEach(function (name) { document.addEventListener(name, restart, true); });
    restart();
  }
})();
