// The regional dashboard: "Print this section" marks its section as the one to print (the
// print styles show only the section whose mark is the target), opens the print dialog, and
// afterwards points the address back at the section itself, so a later print is whole.
// Without this file the links stay hidden and the page prints whole, a section to a page.
(function () {
  "use strict";

  document.querySelectorAll("[data-print-section]").forEach(function (link) {
    link.parentElement.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.hash = link.hash;
      window.print();
    });
  });
  window.addEventListener("afterprint", function () {
    if (window.location.hash.indexOf("#print-") === 0) {
      window.location.hash = "#" + window.location.hash.slice("#print-".length);
    }
  });
})();
