// Colour scheme toggle: remembers the reader's choice; the page works without it.
(function () {
  var button = document.querySelector(".theme-toggle");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var root = document.documentElement;
    var current = root.getAttribute("data-theme") ||
      (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    var next = current === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem("rapport-theme", next); } catch (e) {}
  });
})();
