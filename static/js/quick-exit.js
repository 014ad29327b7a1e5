// Quick exit, and nothing kept by the browser (on every client and public page).
//
// Quick exit: the button, or the Esc key, ends the session, empties every field
// and the page itself, tells the person's other tabs of this site to do the
// same, and replaces this page with a neutral site. location.replace()
// overwrites this history entry, so Back does not return here. Without
// JavaScript the link still leaves.
//
// Back and Forward: a page the browser brings back whole from its back-forward
// cache is emptied and fetched again, and fields the browser refilled from
// history are put back to what the server sent. The server's saved draft is
// the only memory: nothing is kept in browser storage.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("fulcrum-exit") : null;
  var leaving = false;

  function emptyFields() {
    var fields = document.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = false;
        field.defaultChecked = false;
      } else if (field.tagName === "SELECT") {
        field.selectedIndex = -1;
      } else if (field.type !== "submit" && field.type !== "button") {
        field.value = "";
        field.defaultValue = "";
      }
    }
  }

  function emptyPage() {
    emptyFields();
    document.title = "";
    document.body.hidden = true;
    document.body.replaceChildren();
  }

  function leave(fromOtherTab) {
    if (leaving) return;
    leaving = true;
    // Autosave sends what is typed once more, then stops, so that emptying the fields
    // below can never be saved over the client's draft.
    document.dispatchEvent(new CustomEvent("fulcrum:exit"));
    var destination = link ? link.href : "about:blank";
    if (!fromOtherTab) {
      try {
        var endUrl = link.getAttribute("data-end-url");
        if (navigator.sendBeacon) {
          navigator.sendBeacon(endUrl);
        } else {
          fetch(endUrl, { method: "POST", keepalive: true, credentials: "same-origin" });
        }
        if (channel) channel.postMessage("exit");
      } catch (e) {
        // Leaving matters more than signing out.
      }
    }
    emptyPage();
    window.location.replace(destination);
  }

  if (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.defaultPrevented) {
        leave(false);
      }
    });
  }
  if (channel) {
    channel.onmessage = function (event) {
      if (event.data === "exit") leave(true);
    };
  }

  // Every form says "keep nothing" in its HTML; this covers one that forgot, for form history.
  var forms = document.querySelectorAll("form");
  for (var i = 0; i < forms.length; i++) {
    if (forms[i].getAttribute("autocomplete") !== "off") forms[i].setAttribute("autocomplete", "off");
  }

  // Reached by Back or Forward: the browser may refill fields from history (in Chromium after
  // this script has run, before the page's load event); show only what the server sent, which
  // for a client's forms is their saved draft.
  function backOrForward() {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }
  function showOnlyWhatTheServerSent() {
    for (var j = 0; j < forms.length; j++) forms[j].reset();
  }
  if (backOrForward()) document.addEventListener("DOMContentLoaded", showOnlyWhatTheServerSent);

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      // Restored whole from the back-forward cache: empty it and ask the server again (a GET,
      // so a page that answered a form is not sent twice).
      emptyPage();
      window.location.replace(window.location.href);
    } else if (backOrForward()) {
      showOnlyWhatTheServerSent();
    }
  });
})();
