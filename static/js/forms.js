// Small helpers for long forms; everything works without them.
(function () {
  "use strict";

  // A live character counter for fields with data-counter="<max>": it says how many characters
  // are left, in words the server gives for each number (data-counter-texts, translated).
  document.querySelectorAll("[data-counter]").forEach(function (input) {
    var output = document.querySelector('[data-counter-for="' + input.id + '"]');
    if (!output) return;
    var max = parseInt(input.dataset.counter, 10);
    var texts = [];
    try { texts = JSON.parse(output.dataset.counterTexts || "[]"); } catch (e) { texts = []; }
    var update = function () {
      var left = max - input.value.length;
      output.textContent = left >= 0 && left < texts.length ? texts[left] : left + " / " + max;
      output.classList.toggle("counter--over", left < 0);
    };
    input.addEventListener("input", update);
    update();
  });

  // A link to a field still missing moves the focus into that field, not only the view.
  document.querySelectorAll("#missing-fields a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  });

  // "Cite this finding" writes the label where the cursor was in the text: remember it, in
  // characters as the server counts them (code points, newlines as one).
  document.querySelectorAll("[data-cursor-of]").forEach(function (hidden) {
    var text = document.getElementById(hidden.dataset.cursorOf);
    if (!text) return;
    var remember = function () {
      hidden.value = String(Array.from(text.value.slice(0, text.selectionStart)).length);
    };
    ["keyup", "click", "select", "input", "blur"].forEach(function (name) {
      text.addEventListener(name, remember);
    });
  });

  // After a save the server marks its message with the saved form's key: the copy kept in
  // this browser (and the one of a new, unsaved practice) is no longer needed.
  document.querySelectorAll("[data-clear-typed]").forEach(function (message) {
    message.dataset.clearTyped.split(" ").forEach(function (token) {
      if (token.indexOf("practice-") === 0) {
        window.localStorage.removeItem("socore-typed:" + token);
        window.localStorage.removeItem("socore-typed:practice-new");
      }
    });
  });

  // Keep what was typed in this browser until the server has it: a closed tab, an
  // expired session or a failed request never loses text.
  document.querySelectorAll("form[data-keep-typed]").forEach(function (form) {
    var key = "socore-typed:" + form.dataset.keepTyped;
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
          el.type !== "submit" && el.type !== "hidden";
      });
    };
    var read = function () {
      var values = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          values[el.name + "=" + el.value] = el.checked;
        } else {
          values[el.name] = el.value;
        }
      });
      return values;
    };
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var current = read();
    if (saved && JSON.stringify(saved) !== JSON.stringify(current)) {
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          var k = el.name + "=" + el.value;
          if (k in saved) el.checked = saved[k];
        } else if (el.name in saved) {
          el.value = saved[el.name];
        }
      });
      var note = document.createElement("p");
      note.className = "message message--info";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.restoredText ||
        "We restored text you typed earlier that was not saved yet. Save to keep it.";
      form.insertBefore(note, form.firstChild);
    }
    form.addEventListener("input", function () {
      try { window.localStorage.setItem(key, JSON.stringify(read())); } catch (e) { /* full or disabled */ }
    });
    // The copy is dropped once the server answers a save that succeeded.
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt === form && event.detail.successful && event.detail.xhr.getResponseHeader("X-Draft-Saved") === "1") {
        window.localStorage.removeItem(key);
      }
    });
  });
})();
