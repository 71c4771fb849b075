// Every page: the site menu folded behind its button on a narrow screen, and the "Your work"
// menu closed by Escape or a click elsewhere. Without this file the menu is simply always open,
// and what says the page updates itself (.js-only) is not shown.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (button && menu) {
    document.documentElement.classList.add("has-menu-button");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    });
  }

  var dropdowns = document.querySelectorAll(".work-menu details");
  document.addEventListener("click", function (event) {
    dropdowns.forEach(function (details) {
      if (details.open && !details.contains(event.target)) details.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    dropdowns.forEach(function (details) {
      if (details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  });
})();
