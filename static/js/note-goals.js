// The plan's goals in the note editor: a ticked goal suggests its practice (a hint on that
// practice's row, never a filled-in focus or evidence), and choosing how a goal moved ticks it.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  if (!form) return;
  var boxes = form.querySelectorAll("input[type=checkbox][data-goal-practice]");
  if (!boxes.length) return;

  function labelOf(practice) {
    var focus = form.querySelector("select[name=focus_" + practice + "]");
    var label = focus && form.querySelector("label[for=" + focus.id + "]");
    return label ? label.textContent.replace("*", "").trim() : practice;
  }

  function update() {
    var wanted = {};
    Array.prototype.forEach.call(boxes, function (box) {
      var row = box.closest(".note-goal");
      var select = row && row.querySelector("select");
      var unmarked = row && row.querySelector(".goal-unmarked");
      if (box.checked) wanted[box.getAttribute("data-goal-practice")] = true;
      if (unmarked) unmarked.hidden = !(box.checked && select && !select.value);
    });
    var missing = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-suggest-for]"), function (hint) {
      var practice = hint.getAttribute("data-suggest-for");
      var focus = form.querySelector("select[name=focus_" + practice + "]");
      var suggest = !!wanted[practice] && !!focus && !focus.value;
      hint.hidden = !suggest;
      if (suggest) missing.push(labelOf(practice));
    });
    var line = document.getElementById("goal-suggest-line");
    var text = document.getElementById("goal-suggest-text");
    if (line) line.hidden = missing.length === 0;
    if (text) text.textContent = missing.join(", ");
  }

  Array.prototype.forEach.call(boxes, function (box) {
    var row = box.closest(".note-goal");
    var select = row && row.querySelector("select");
    if (!select) return;
    // On the select itself, so the box is ticked before the form's autosave reads the form.
    select.addEventListener("change", function () {
      if (select.value) box.checked = true;
    });
  });
  form.addEventListener("change", update);
  update();
})();
