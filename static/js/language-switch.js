// The link to the same public page in another language: a visitor who has typed into this page's form is asked
// before leaving it, since a public form keeps no draft and the other language's page starts empty. Only these
// links ask; quick exit (Esc or its button) never waits for anything.
(function () {
  "use strict";
  var words = JSON.parse((document.getElementById("page-words") || {}).textContent || "{}");

  function typedInto() {
    var fields = document.querySelectorAll("form input, form textarea, form select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") continue;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) return true;
      } else if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected !== field.options[j].defaultSelected) return true;
        }
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  var links = document.querySelectorAll("a[data-language-switch]");
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("click", function (event) {
      if (typedInto() && !window.confirm(words.switch_loses || "")) event.preventDefault();
    });
  }
})();
