// yuefang: follow a running order. Polls the order's progress endpoint while a step is
// queued or running, moves the progress bars, and reloads the page when a step changes
// status so that its output (size label, pattern, marker, plan) appears.
(function () {
  "use strict";
  var card = document.getElementById("timeline-card");
  if (!card || card.dataset.active !== "true") { return; }
  var url = card.dataset.progressUrl;
  var note = document.getElementById("progress-note");
  if (note) { note.hidden = false; }
  var known = {};
  card.querySelectorAll("[data-step]").forEach(function (li) { known[li.dataset.step] = li.dataset.status; });
  var delay = 1000;

  function update(data) {
    var changed = false;
    (data.steps || []).forEach(function (s) {
      if (known[s.step] !== undefined && known[s.step] !== s.status) { changed = true; }
      var li = card.querySelector('[data-step="' + s.step + '"]');
      var bar = li && li.querySelector(".progress > span");
      if (bar && typeof s.progress === "number") {
        var pct = Math.round(Math.max(0, Math.min(1, s.progress)) * 100);
        bar.style.width = pct + "%";
        bar.parentNode.setAttribute("aria-valuenow", String(pct));
      }
    });
    if (changed || !data.active) { window.location.replace(window.location.pathname); return false; }
    return true;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) { delay = 1000; if (update(data)) { schedule(); } })
      .catch(function () { delay = Math.min(delay * 2, 15000); schedule(); });
  }
  function schedule() { window.setTimeout(poll, delay); }
  schedule();
})();
