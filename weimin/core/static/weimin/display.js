/* The hall display (叫号屏): reads the feed when the hall's events say so, shows calls, speaks them in
 * Mandarin, never stops.
 *
 * - Push, not poll: the page follows the hall's server-sent events (tickets/changes.py) and reads the
 *   feed the moment a change is announced — a call shows well within 1 s of the clerk's key —, except ticket
 *   news that moved no one's place and named no call ("moved": false: a visitor served, completed, a
 *   no-show): the screen shows calls and the waiting, which such news leaves as they were. While the
 *   stream is open the feed is read every 5 s anyway (it also finds a dropped network); without it (refused, a buffering proxy, an old
 *   browser) every second, as before. The browser revalidates the feed (ETag): unchanged costs a 304.
 * - Announcements are queued: a new call waits until the one being spoken has finished.
 * - Speech uses the browser's own synthesis: no online service.
 * - Network drops: each poll has a timeout; failures back off and the page shows "reconnecting";
 *   after a long outage, and once a day in the small hours, the page reloads itself, so a TV left
 *   on for days keeps working.
 */
(function () {
  "use strict";
  var feed = document.body.dataset.feed, events = document.body.dataset.events;
  var POLL_MS = 1000, POLL_PUSHED_MS = 5000, TIMEOUT_MS = 4000, MAX_BACKOFF_MS = 8000;
  var RELOAD_AFTER_FAILING_MS = 120000, PUSH_RETRY_MS = 60000, SILENT_STREAM_MS = 45000;
  var lastId = null, failingSince = null, backoff = POLL_MS, pushed = false;
  var next = null, inFlight = false, again = false;
  var announcements = [], speaking = false, sentSpoken = {};
  var state = (window.weiminDisplay = { spoken: [], polls: 0, lastId: null, push: "polling" });

  function el(id) { return document.getElementById(id); }

  function phrase(call) {
    return "请" + call.number + "号到" + call.window + "号窗口办理";
  }

  function speakNext() {
    if (speaking || announcements.length === 0) return;
    var text = announcements.shift();
    state.spoken.push(text);
    if (!("speechSynthesis" in window)) return speakNext();
    speaking = true;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    var done = function () { if (speaking) { speaking = false; setTimeout(speakNext, 400); } };
    utterance.onend = done;
    utterance.onerror = done;
    setTimeout(done, 12000); // some TV browsers never fire onend: do not let the queue stall
    window.speechSynthesis.speak(utterance);
  }

  function announce(call) {
    var text = phrase(call);
    announcements.push(text, text); // every call is spoken twice
    speakNext();
  }

  // Everything shown comes from the database (category names are edited in the back office): the page
  // is built from text nodes only, never from HTML strings (no innerHTML), so a name is shown as typed.
  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = String(text);
    return element;
  }

  // appendChild and removeChild only: TV browsers can be old.
  function fill(parent, children) {
    while (parent.firstChild) parent.removeChild(parent.firstChild);
    children.forEach(function (child) { parent.appendChild(child); });
  }

  function render(data) {
    var calls = data.calls;
    if (calls.length) {
      var newest = calls[calls.length - 1];
      fill(el("latest"), [node("span", "number", newest.number), node("span", "arrow", "→"),
        node("span", "window", newest.window + " 号窗口")]);
      el("latest").dataset.number = newest.number;
      var rows = el("recent");
      calls.forEach(function (call) {
        var row = document.createElement("tr");
        fill(row, [node("td", "", call.number), node("td", "", call.window), node("td", "", call.at)]);
        rows.insertBefore(row, rows.firstChild);
      });
      while (rows.children.length > 6) rows.removeChild(rows.lastChild);
    }
    var items = data.waiting.map(function (w) {
      var li = node("li");
      fill(li, [node("span", "prefix", w.prefix), document.createTextNode(w.category), node("strong", "", w.waiting)]);
      return li;
    });
    fill(el("waiting"), items.length ? items : [node("li", "", "—")]);
    // Visitors sent to a window by name (a handover, a transfer, the fast lane): told where to go.
    var sent = (data.sent || []).map(function (s) {
      var li = node("li");
      li.dataset.number = s.number;
      fill(li, [node("span", "number", s.number), node("span", "arrow", "→"), node("span", "window", s.window + " 号窗口")]);
      return li;
    });
    fill(el("sent"), sent);
    el("sent-section").hidden = sent.length === 0;
    // The number in large type was sent on to another window since its call: show where it goes now.
    (data.sent || []).forEach(function (s) {
      if (el("latest").dataset.number === s.number) {
        fill(el("latest"), [node("span", "number", s.number), node("span", "arrow", "→"),
          node("span", "window", s.window + " 号窗口")]);
      }
    });
    el("clock").textContent = data.now.slice(11, 16);
    el("closed").hidden = data.open !== false;
  }

  function poll() {
    clearTimeout(next);
    if (inFlight) { again = true; return; } // news during a read: read once more right after
    inFlight = true;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    var url = feed + "?after=" + (lastId === null ? 0 : lastId);
    fetch(url, { signal: controller.signal, cache: "no-cache" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        state.polls += 1;
        var first = lastId === null;
        render(data);
        if (!first) data.calls.forEach(announce); // calls made before the screen came on are shown, not spoken
        (data.sent || []).forEach(function (s) { // a visitor newly sent to a window is told once, aloud
          var key = s.number + ">" + s.window;
          if (!first && !sentSpoken[key]) announce(s);
          sentSpoken[key] = true;
        });
        if (data.calls.length) lastId = data.calls[data.calls.length - 1].id;
        else if (first) lastId = 0;
        state.lastId = lastId;
        failingSince = null; backoff = pushed ? POLL_PUSHED_MS : POLL_MS;
        el("offline").hidden = true;
      })
      .catch(function () {
        failingSince = failingSince || Date.now();
        el("offline").hidden = false;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        if (Date.now() - failingSince > RELOAD_AFTER_FAILING_MS) location.reload();
      })
      .finally(function () {
        clearTimeout(timer);
        inFlight = false;
        if (again) { again = false; poll(); } else next = setTimeout(poll, backoff);
      });
  }

  function follow() {
    var source = new EventSource(events + "?for=display"), watchdog = null;
    // A line cut without a word (a TV's Wi-Fi) stays "open": with no beat for 45 s, start again.
    function alive() {
      clearTimeout(watchdog);
      watchdog = setTimeout(function () { source.close(); lost(); follow(); }, SILENT_STREAM_MS);
    }
    function lost() {
      if (pushed && !inFlight) { clearTimeout(next); next = setTimeout(poll, POLL_MS); } // poll again at once
      pushed = false; state.push = "polling";
    }
    source.addEventListener("open", function () { pushed = true; state.push = "open"; alive(); });
    source.addEventListener("beat", alive);
    source.addEventListener("change", function (event) {
      alive();
      var news = JSON.parse(event.data);
      if (news.moved === false && news.kind !== "recalled") return;
      poll();
    });
    source.addEventListener("error", function () {
      clearTimeout(watchdog);
      lost();
      if (source.readyState === EventSource.CLOSED) setTimeout(follow, PUSH_RETRY_MS); // refused: poll meanwhile
    });
  }

  // Reload once a day at about 04:00 local time: days of idling must not wear the page out.
  var now = new Date(), reloadAt = new Date(now);
  reloadAt.setHours(4, 0, 0, 0);
  if (reloadAt <= now) reloadAt.setDate(reloadAt.getDate() + 1);
  setTimeout(function () { location.reload(); }, reloadAt - now);

  // Browsers allow speech only after one touch on the page; afterwards the button goes away.
  el("enable-sound").addEventListener("click", function () {
    if ("speechSynthesis" in window) window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
    el("enable-sound").hidden = true;
  });
  poll();
  if (events && window.EventSource) follow();
})();
