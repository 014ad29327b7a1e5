// Autosave: the form is saved to the server while the client types (after a
// short pause), when they leave a field, and when the page is hidden or
// closed. Nothing is kept in browser storage. If the session has ended, the
// text stays on the page and can be saved again after signing in.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  var url = form.getAttribute("data-autosave-url");
  var tokenUrl = form.getAttribute("data-token-url");
  var status = document.getElementById("save-status");
  var signedOut = document.getElementById("signed-out");
  var saveNow = document.getElementById("save-now");
  var timer = null;
  var dirty = false;
  var saving = false;
  var stopped = false;
  var switching = false;
  var inflight = null;
  var DELAY = 1200;

  // A client page gives these words in its own language (templates/layouts/client.html); staff pages are in English.
  var wordsNode = document.getElementById("page-words");
  var words = wordsNode ? JSON.parse(wordsNode.textContent) : {};
  function say(key, english) {
    return words[key] || english;
  }

  function show(text) {
    if (status) status.textContent = text;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function tokenField() {
    return form.querySelector("input[name=csrfmiddlewaretoken]");
  }

  function refreshToken() {
    return fetch(tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("signed out");
        return response.json();
      })
      .then(function (data) {
        tokenField().value = data.csrf;
      });
  }

  function save(options) {
    options = options || {};
    if (stopped || switching || !dirty || (saving && !options.leaving)) return;
    dirty = false;
    saving = true;
    show(say("saving", "Saving…"));
    var body = new FormData(form);
    var request = fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!options.leaving,
      headers: { Accept: "application/json" },
    });
    if (options.leaving) return;
    inflight = request
      .then(function (response) {
        saving = false;
        if (response.status === 401) {
          dirty = true;
          show(say("signed_out", "Not saved: you were signed out."));
          if (signedOut) signedOut.hidden = false;
          return;
        }
        if (response.status === 403 && !options.retried) {
          // The form token changed (a new sign-in): fetch a fresh one and try again.
          dirty = true;
          return refreshToken().then(function () {
            save({ retried: true });
          });
        }
        return response.json().then(function (data) {
          if (response.ok) {
            if (signedOut) signedOut.hidden = true;
            // Optimistic locking: the next save says which version it builds on.
            // (Notes call it "version"; plans, "revision".)
            ["version", "revision"].forEach(function (name) {
              var field = form.querySelector("input[name=" + name + "]");
              if (field && data[name]) field.value = data[name];
            });
            var needs = document.getElementById("sign-needs");
            var needsText = document.getElementById("sign-needs-text");
            if (needs && data.sign_needs) {
              needs.hidden = data.sign_needs.length === 0;
              if (needsText) needsText.textContent = data.sign_needs.join(" ");
            }
            // Parts of the page that follow what was saved (the plan editor's previews and word checks),
            // drawn by the server from its own templates.
            if (data.fragments) {
              Object.keys(data.fragments).forEach(function (id) {
                var node = document.getElementById(id);
                if (node) node.innerHTML = data.fragments[id];
              });
            }
            if (data.format && data.format !== form.getAttribute("data-format")) {
              // The server carried every word into the new format's headings: show those fields now.
              show("Format changed; showing the new headings…");
              switching = true;
              window.location.reload();
              return;
            }
            show(say("saved_at", "Saved at {time}").replace("{time}", data.saved_at));
          } else {
            if (response.status !== 409) dirty = true;
            show(data.message || say("not_saved", "Not saved yet."));
            // The server is briefly unavailable (503): keep the text and try again.
            if (response.status >= 500) schedule(5000);
          }
        });
      })
      .catch(function () {
        saving = false;
        dirty = true;
        show(say("offline", "Not saved yet: check your connection. Trying again…"));
        schedule(5000);
      });
  }

  form.addEventListener("input", function () {
    dirty = true;
    show(say("unsaved", "Unsaved changes"));
    schedule(DELAY);
  });
  form.addEventListener("change", function (event) {
    // Ticks and choices save at once; typed text is saved by the pause timer and on leaving the field.
    var kind = event.target.type;
    if (kind === "checkbox" || kind === "radio" || event.target.tagName === "SELECT") {
      dirty = true;
      if (event.target.name === "format") {
        // Until the server answers, the fields on screen are the old format's: never say "Saved" here.
        show("Changing the format…");
        clearTimeout(timer);
        if (saving) {
          schedule(300);
          return;
        }
      }
      save();
    }
  });
  form.addEventListener("focusout", function (event) {
    // Moving to a submit button: the form's own POST saves everything. Saving here
    // too would change the page under the pointer mid-click and lose the click.
    var next = event.relatedTarget;
    if (next && next.type === "submit" && next.form === form) return;
    save();
  });
  form.addEventListener("submit", function (event) {
    // The page's own POST saves everything; stop the timer, and send only once.
    clearTimeout(timer);
    var button = event.submitter;
    if (saving && inflight) {
      // A save is on its way: its answer carries the new version. Sending now, with the old one, would be
      // refused as if another tab had changed the page; send once that answer is in.
      event.preventDefault();
      show(say("saving", "Saving…"));
      inflight.then(function () {
        if (button) form.requestSubmit(button);
        else form.requestSubmit();
      });
      return;
    }
    dirty = false;
    if (button && button.hasAttribute("data-once")) {
      // Disable after the browser has read the form, so a double click sends once.
      setTimeout(function () {
        button.disabled = true;
      }, 0);
    }
  });
  // Quick exit (quick-exit.js): send what is typed once more, then never again, because the
  // page is emptied next and an empty form must not be saved over the draft.
  document.addEventListener("fulcrum:exit", function () {
    clearTimeout(timer);
    save({ leaving: true });
    stopped = true;
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save({ leaving: true });
  });
  window.addEventListener("pagehide", function () {
    save({ leaving: true });
  });
  // Anything typed or ticked before this script ran differs from what the server sent: save it too.
  function changedSinceLoad() {
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT" && !field.multiple) {
        // With no option marked selected in the page, the browser shows the first one.
        var first = Array.prototype.findIndex.call(field.options, function (o) { return o.defaultSelected; });
        return field.selectedIndex !== Math.max(first, 0);
      }
      if (field.tagName === "SELECT") {
        return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") return false;
      return "defaultValue" in field && field.value !== field.defaultValue;
    });
  }
  if (changedSinceLoad()) {
    dirty = true;
    show(say("unsaved", "Unsaved changes"));
    schedule(0);
  }
  // Lets tests (and styles) know the page is listening.
  form.setAttribute("data-autosave-ready", "yes");
  if (saveNow) {
    saveNow.addEventListener("click", function () {
      dirty = true;
      refreshToken()
        .then(function () {
          save({ retried: true });
        })
        .catch(function () {
          show(say("still_signed_out", "Still signed out. Sign in again in the other tab, then press Save now."));
        });
    });
  }
})();
