// Quick exit: the button, or the Esc key, ends the session and replaces this
// page with a neutral site. location.replace() overwrites this history entry,
// so Back does not return here. Without JavaScript the link still leaves.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) return;

  function leave() {
    var endUrl = link.getAttribute("data-end-url");
    try {
      if (navigator.sendBeacon) {
        navigator.sendBeacon(endUrl);
      } else {
        fetch(endUrl, { method: "POST", keepalive: true, credentials: "same-origin" });
      }
    } catch (e) {
      // Leaving matters more than signing out.
    }
    document.body.hidden = true;
    window.location.replace(link.href);
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.defaultPrevented) {
      leave();
    }
  });
})();
