/* Push, not poll: an htmx element with data-push follows its hall's server-sent events (the hall change
 * feed, tickets/changes.py) and refreshes itself when told, instead of asking every few seconds.
 *
 *   <div hx-get="…" hx-trigger="every 4s, weimin-change"     polling (the fall-back) + refresh on push
 *        data-push="/halls/X/events?for=console"              the stream (a visitor's: /t/<token>/events,
 *                                                             which tells only what changes their page)
 *        data-push-trigger="every 20s, weimin-change"         its triggers while the stream is open
 *        data-push-calm="3"                                   other news: at most one refresh per 3 s, at a
 *                                                             random moment of them (a hall's screens do not
 *                                                             all ask at once)…
 *        data-push-own-window="3"                             …but at once for news of this window (a console);
 *                                                             another window's ticket news that moved no one's
 *                                                             place ("moved": false: a visitor served, completed,
 *                                                             recalled) changes nothing a console shows: none;
 *                                                             nor ticket news whose "windows" (those listing the
 *                                                             ticket) leave this one out
 *        data-push-number="A012"                              …or naming this number (a visitor)
 *                                                             (a visitor's stream also sends the page part
 *                                                             itself, "page", when only their place moved)
 *        data-push-window="3">                                only news of window 3 (a pad)
 *
 * A refused stream (the server holds its most, 503) or a browser without EventSource keeps polling;
 * the stream is tried again a minute later. A refresh on its way when the stream sent a page part, and
 * answered as of an older hall version than the part (the version in its ETag, read before the part was),
 * is not shown: it would put back what the part replaced. One asked after the part is always shown: it was
 * worked out after it (another process may read an older version a moment longer). */
(function () {
  "use strict";
  if (!window.EventSource) return;
  var RETRY_MS = 60000, SILENT_STREAM_MS = 45000; // the server beats after 25 s of silence
  var stops = new Map(); // each followed element's way to stop its stream
  var TAG_VERSION = /\.v(\d+)\./; // the hall's version in a part's ETag (tickets/changes.py shown_etag)

  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.xhr.weiminPushShown = event.detail.target.dataset.pushShown;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var pushed = event.detail.target.dataset.pushShown, xhr = event.detail.xhr;
    if (!pushed || xhr.weiminPushShown === pushed) return; // no part came while it was on its way
    var tag = TAG_VERSION.exec(xhr.getResponseHeader("ETag") || "");
    if (tag && Number(tag[1]) < Number(pushed)) event.detail.shouldSwap = false;
  });

  // Leaving the page (a form sent, a link followed): no news may reload it under the navigation — the reload
  // would win and the answer's message (评价已收到) would never show. Still here 3 s later (a download):
  // follow again.
  window.addEventListener("beforeunload", function () {
    stops.forEach(function (stop, element) {
      stop();
      htmx.trigger(element, "htmx:abort");
      setTimeout(function () { follow(element); }, 3000);
    });
  });

  function follow(element) {
    var polling = element.getAttribute("hx-trigger"), pushed = element.dataset.pushTrigger || polling;
    var number = element.dataset.pushNumber, windowNumber = element.dataset.pushWindow;
    var ownWindow = element.dataset.pushOwnWindow;
    var calmMs = parseFloat(element.dataset.pushCalm || "0") * 1000, last = 0, pending = null;
    function triggers(value) {
      if (element.getAttribute("hx-trigger") === value) return;
      element.setAttribute("hx-trigger", value);
      htmx.process(element);
    }
    function refresh() {
      clearTimeout(pending);
      pending = null;
      last = Date.now();
      htmx.trigger(element, "weimin-change");
    }
    var source = new EventSource(element.dataset.push), watchdog = null;
    stops.set(element, function () {
      source.close();
      clearTimeout(pending);
      pending = null;
      polls();
    });
    function polls() {
      clearTimeout(watchdog);
      triggers(polling); // until the stream is back, poll
      element.dataset.pushState = "polling";
    }
    // A line cut without a word stays "open": with no beat for 45 s, poll and start again.
    function alive() {
      clearTimeout(watchdog);
      watchdog = setTimeout(function () { source.close(); polls(); follow(element); }, SILENT_STREAM_MS);
    }
    source.addEventListener("open", function () {
      triggers(pushed);
      element.dataset.pushState = "open";
      alive();
    });
    source.addEventListener("beat", alive);
    source.addEventListener("change", function (event) {
      alive();
      var news = JSON.parse(event.data);
      // News missed, or the stream's first word: a call made between the page's rendering and the stream's
      // start is in no event the stream sends, only in the part a refresh fetches.
      if (news.kind === "resync") return refresh();
      if (windowNumber && String(news.window) !== windowNumber) return;
      if (ownWindow && String(news.window) !== ownWindow) {
        if (news.moved === false) return;
        if (news.windows && news.windows.indexOf(Number(ownWindow)) < 0) return;
      }
      if (!calmMs || (number && news.number === number) || (ownWindow && String(news.window) === ownWindow)) {
        return refresh();
      }
      if (!pending) pending = setTimeout(refresh, Math.max(Math.random() * calmMs, last + calmMs - Date.now()));
    });
    // What a refresh would fetch, sent by the server: shown as htmx would swap it, and no refresh needed.
    source.addEventListener("page", function (event) {
      alive();
      clearTimeout(pending);
      pending = null;
      last = Date.now();
      var part = JSON.parse(event.data);
      element.dataset.pushShown = String(part.version);
      htmx.swap(element, part.html, {swapStyle: "innerHTML"});
    });
    source.addEventListener("error", function () {
      polls();
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(function () { if (document.body.contains(element)) follow(element); }, RETRY_MS);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-push]"), function (element) {
      follow(element);
    });
  });
})();
