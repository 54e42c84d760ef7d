// The session's two page-side helpers (no inline script: the Content-Security-Policy forbids it).
//
// 1. Requests that a page makes by itself (htmx polling, "load" triggers) carry
//    X-Otclinic-Background, so that the server does not count them as the user being active:
//    an unattended screen that polls is still signed out after the idle timeout.
// 2. A warning shortly before the idle timeout, with a button that keeps the session; when the
//    time is up the page reloads, and the server answers with the signed-out page.
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var cause = event.detail.triggeringEvent;
    if (!(cause && cause.isTrusted)) {
      event.detail.headers["X-Otclinic-Background"] = "1";
    }
  });

  function start() {
    var body = document.body;
    var idle = parseInt(body.dataset.idleSeconds || "0", 10);
    if (!idle) {
      return;
    }
    var warnBefore = Math.min(parseInt(body.dataset.idleWarningSeconds || "0", 10), idle);
    var banner = document.getElementById("idle-warning");
    var stay = document.getElementById("idle-stay");
    var warnTimer = null;
    var endTimer = null;

    function schedule() {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      if (banner) {
        banner.hidden = true;
      }
      if (banner && warnBefore > 0) {
        warnTimer = setTimeout(function () {
          banner.hidden = false;
        }, (idle - warnBefore) * 1000);
      }
      // A little after the server's timeout (it notes activity every 15 seconds at most).
      endTimer = setTimeout(function () {
        window.location.reload();
      }, (idle + 20) * 1000);
    }

    function keepAlive() {
      var headers = {};
      try {
        headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
      } catch (ignored) {
        headers = {};
      }
      fetch(body.dataset.keepaliveUrl, {
        method: "POST",
        headers: headers,
        credentials: "same-origin",
      }).then(schedule);
    }

    if (stay) {
      stay.addEventListener("click", keepAlive);
    }
    document.addEventListener("htmx:afterRequest", function (event) {
      var cause = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
      if (cause && cause.isTrusted) {
        schedule();
      }
    });
    schedule();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
