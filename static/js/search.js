// As-you-type staff search: the name goes in a POST body, never in the URL.
(function () {
  "use strict";
  var form = document.getElementById("staff-search");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var box = document.getElementById("staff-search-results");
  var timer = null;
  var last = "";
  function run() {
    var term = input.value.trim();
    if (term === last) return;
    last = term;
    if (term.length < 2) { box.replaceChildren(); box.hidden = true; return; }
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Search": "1" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (input.value.trim() !== term) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        box.replaceChildren.apply(box, Array.prototype.slice.call(doc.body.childNodes));
        box.hidden = !html.trim();
      })
      .catch(function () {});
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") { box.hidden = true; } });
  // A hurried user may have typed before this script ran: answer what is already in the box.
  if (input.value.trim()) { timer = setTimeout(run, 0); }
})();
