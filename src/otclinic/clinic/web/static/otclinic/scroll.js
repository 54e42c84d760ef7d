// A box that scrolls sideways on a narrow screen (a wide table in a card on a phone) can be
// scrolled with the keyboard: it takes the focus (tabindex 0) and is named after its heading,
// so a keyboard user reaches the columns past its edge (WCAG 2.1.1; axe-core's
// scrollable-region-focusable). Checked on load, after every htmx swap and on resize; a box
// that no longer scrolls gives the focus stop back.
(function () {
  "use strict";

  var MARK = "data-scroll-focus";

  function scrolls(el) {
    var overflow = window.getComputedStyle(el).overflowX;
    return (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
  }

  function nameOf(el) {
    var heading = el.querySelector("h1, h2, h3, caption, legend");
    var text = heading ? heading.textContent.trim() : "";
    return text ? text + " (scrolls sideways)" : "Scrolls sideways";
  }

  function mark() {
    var boxes = document.querySelectorAll("main *");
    for (var i = 0; i < boxes.length; i++) {
      var el = boxes[i];
      if (el.scrollWidth > el.clientWidth + 1 && scrolls(el)) {
        if (!el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute(MARK, "");
          // A generic box becomes a named region; a list or table keeps its own role.
          var generic = /^(DIV|SECTION|ARTICLE|ASIDE)$/.test(el.tagName);
          if (generic && !el.hasAttribute("role") && !el.hasAttribute("aria-labelledby") && !el.hasAttribute("aria-label")) {
            el.setAttribute("role", "region");
            el.setAttribute("aria-label", nameOf(el));
          }
        }
      } else if (el.hasAttribute(MARK)) {
        el.removeAttribute("tabindex");
        el.removeAttribute(MARK);
      }
    }
  }

  var pending = null;
  function soon() {
    clearTimeout(pending);
    pending = setTimeout(mark, 50);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  document.addEventListener("htmx:afterSettle", mark);
  window.addEventListener("resize", soon);
})();
