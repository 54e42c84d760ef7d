// The navigation's menus (details elements): one open at a time; Escape or a click elsewhere
// closes the open one, and Escape puts the focus back on its summary. Without this script the
// menus still open and close by their summaries.
(function () {
  "use strict";

  function menus() {
    return document.querySelectorAll("nav.main details.menu");
  }

  function closeAll(except) {
    menus().forEach(function (menu) {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.matches && menu.matches("nav.main details.menu") && menu.open) {
      closeAll(menu);
    }
  }, true);

  document.addEventListener("click", function (event) {
    if (!event.target.closest("nav.main details.menu")) {
      closeAll(null);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.querySelector("nav.main details.menu[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
})();
