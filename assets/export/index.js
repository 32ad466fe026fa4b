"use strict";
// Counts: the summary, written last, has each section's count; the links
// and headings written before it show them too.
(function () {
  Array.prototype.forEach.call(document.querySelectorAll("[data-count-of]"), function (total) {
    var id = total.getAttribute("data-count-of");
    var shown = document.querySelectorAll("nav.toc a[data-section=\"" + id + "\"] .count, #" + id + " > h2 .count");
    Array.prototype.forEach.call(shown, function (count) { count.textContent = total.textContent; });
  });
}());
// Search: hides table rows and messages that do not contain the text, and
// opens the message rooms that do. Works offline, on the page alone.
(function () {
  var box = document.getElementById("search");
  var status = document.getElementById("search-status");
  if (!box) { return; }
  var rows = null, rooms = null;
  function collect() {
    if (rows) { return; }
    rows = Array.prototype.slice.call(document.querySelectorAll("table.data tbody tr"));
    rooms = Array.prototype.slice.call(document.querySelectorAll("details.room")).map(function (room) {
      return { room: room, summary: room.querySelector("summary"), messages: Array.prototype.slice.call(room.querySelectorAll("article.msg")) };
    });
  }
  // Lower-cased text is cached per element: the first search pays, later ones are quick.
  var cache = new WeakMap();
  function text(element) {
    var cached = cache.get(element);
    if (cached === undefined) { cached = element.textContent.toLowerCase(); cache.set(element, cached); }
    return cached;
  }
  function search() {
    collect();
    var query = box.value.trim().toLowerCase();
    var hits = 0;
    rows.forEach(function (row) {
      var hit = !query || text(row).indexOf(query) !== -1;
      row.hidden = !hit;
      if (query && hit) { hits += 1; }
    });
    rooms.forEach(function (entry) {
      var topicHit = !!query && text(entry.summary).indexOf(query) !== -1;
      var messageHits = 0;
      entry.messages.forEach(function (message) {
        var hit = !query || topicHit || text(message).indexOf(query) !== -1;
        message.hidden = !hit;
        if (query && hit && !topicHit) { messageHits += 1; }
      });
      hits += messageHits + (topicHit ? 1 : 0);
      entry.room.hidden = !!query && !topicHit && messageHits === 0;
      entry.room.open = !!query && messageHits > 0;
    });
    status.textContent = query ? hits + (hits === 1 ? " match" : " matches") : "";
  }
  var timer = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
}());
