// rapport default theme: progressive enhancements only. The site reads and
// navigates fully without this file; each feature below checks what it needs.
// Text from the site (previews) is shown with DOM text nodes, never innerHTML.
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var base = root.getAttribute("data-base") || "/";
  var KEY = "rapport-theme";
  var mq = function (q) { return !!(window.matchMedia && window.matchMedia(q).matches); };
  var each = function (sel, fn, from) { Array.prototype.forEach.call((from || doc).querySelectorAll(sel), fn); };
  var el = function (tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.appendChild(doc.createTextNode(text));
    return e;
  };

  // A polite live region for short announcements ("Code copied").
  var status;
  function announce(msg) {
    if (!status) {
      status = el("div", "visually-hidden");
      status.setAttribute("role", "status");
      doc.body.appendChild(status);
    }
    status.textContent = "";
    setTimeout(function () { status.textContent = msg; }, 50);
  }

  // Colour scheme toggle. The choice is stored; choosing what the system
  // already shows forgets it, so the page follows the system again.
  function themeToggle() {
    var button = doc.querySelector(".theme-toggle");
    if (!button) return;
    var systemDark = function () { return mq("(prefers-color-scheme: dark)"); };
    var current = function () { return root.getAttribute("data-theme") || (systemDark() ? "dark" : "light"); };
    var sync = function () { button.setAttribute("aria-pressed", String(current() === "dark")); };
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      var follows = (next === "dark") === systemDark();
      try {
        if (follows) localStorage.removeItem(KEY); else localStorage.setItem(KEY, next);
      } catch (e) { /* storage blocked: the choice lasts for this page */ }
      root.setAttribute("data-theme", next);
      sync();
    });
    if (window.matchMedia) {
      var m = window.matchMedia("(prefers-color-scheme: dark)");
      if (m.addEventListener) m.addEventListener("change", sync);
    }
    sync();
    button.hidden = false;
  }

  // On-page contents: marks the section being read (wide screens show the
  // contents beside the article).
  function tocTracking() {
    var toc = doc.querySelector(".toc");
    if (!toc || !("IntersectionObserver" in window)) return;
    var links = {};
    each("a[href^='#']", function (a) {
      try { links[decodeURIComponent(a.getAttribute("href").slice(1))] = a; } catch (e) { /* bad escape */ }
    }, toc);
    var heads = [];
    each(".content h2[id], .content h3[id]", function (h) { if (links[h.id]) heads.push(h); });
    if (!heads.length) return;
    var active = null;
    var update = function () {
      var line = window.innerHeight * 0.25, pick = heads[0];
      for (var i = 0; i < heads.length; i++) {
        if (heads[i].getBoundingClientRect().top <= line) pick = heads[i]; else break;
      }
      var a = links[pick.id];
      if (a === active) return;
      if (active) active.removeAttribute("aria-current");
      a.setAttribute("aria-current", "location");
      active = a;
      // Keep the marked entry in view inside a scrolling contents list, without moving the page.
      if (toc.scrollHeight > toc.clientHeight) {
        var top = a.offsetTop - toc.offsetTop;
        if (top < toc.scrollTop || top > toc.scrollTop + toc.clientHeight - a.offsetHeight) {
          toc.scrollTop = top - toc.clientHeight / 3;
        }
      }
    };
    var io = new IntersectionObserver(update, { rootMargin: "0px 0px -70% 0px" });
    heads.forEach(function (h) { io.observe(h); });
    update();
  }

  // Copy buttons on code blocks.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var ta = el("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      doc.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      doc.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }
  function copyButtons() {
    each("pre.code", function (pre) {
      var wrap = el("div", "code-block");
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      pre.tabIndex = 0; // keyboard users can scroll long lines
      var button = el("button", "copy-button", "Copy");
      button.type = "button";
      button.setAttribute("aria-label", "Copy code");
      var timer;
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent).then(function () {
          button.textContent = "Copied";
          announce("Code copied to the clipboard");
        }, function () {
          button.textContent = "Select and copy";
          var range = doc.createRange();
          range.selectNodeContents(code);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        });
        clearTimeout(timer);
        timer = setTimeout(function () { button.textContent = "Copy"; }, 2000);
      });
      wrap.appendChild(button);
    });
  }

  // Tables wider than the column scroll; make them reachable by keyboard.
  function scrollableTables() {
    each(".content table", function (t) {
      if (t.scrollWidth > t.clientWidth + 1) t.tabIndex = 0;
    });
  }

  // Footnotes: a way back from each note to where it was cited.
  function footnoteBacklinks() {
    each(".footnote-reference a[href^='#']", function (a, i) {
      var id = a.getAttribute("href").slice(1);
      var note = doc.getElementById(id);
      if (!note || note.querySelector(".footnote-back")) return;
      var ref = a.parentNode;
      if (!ref.id) ref.id = "fnref-" + i;
      var back = el("a", "footnote-back", "↩");
      back.href = "#" + ref.id;
      back.setAttribute("aria-label", "Back to where note " + a.textContent + " is cited");
      note.appendChild(back);
    });
  }

  // Hover previews of internal links, on devices with a fine pointer.
  function previews() {
    if (!mq("(hover: hover) and (pointer: fine)") || !window.fetch || !window.JSON) return;
    var cache = {}, box = null, link = null, showTimer = 0, hideTimer = 0;
    var here = location.pathname;

    // Records live in previews/<n>.json, n being the FNV-1a hash of the
    // target's output path masked to the count on <html data-previews>.
    var buckets = +root.getAttribute("data-previews") || 0;
    if (!buckets || !window.TextEncoder) return;
    function bucketOf(key) {
      var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
      for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
      return h & (buckets - 1);
    }
    function previewKey(a) {
      if (a.origin !== location.origin || a.classList.contains("anchor") || a.hasAttribute("download")) return null;
      if (a.closest(".toc, .breadcrumbs, .site-nav, .page-list, .section-cards, .footnote-reference, .preview")) return null;
      if (a.pathname === here) return null;
      var path;
      try { path = decodeURIComponent(a.pathname); } catch (e) { return null; }
      if (path.indexOf(base) !== 0) return null;
      var rel = path.slice(base.length);
      if (rel === "" || rel.charAt(rel.length - 1) === "/") rel += "index.html";
      return /\.html$/.test(rel) ? rel : null;
    }
    function load(key) {
      var url = base + "previews/" + bucketOf(key) + ".json";
      if (!cache[url]) {
        cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
          return r.ok ? r.json() : null;
        }).catch(function () { return null; });
      }
      return cache[url].then(function (records) {
        return records && Object.prototype.hasOwnProperty.call(records, key) ? records[key] : null;
      });
    }
    function hide() {
      clearTimeout(showTimer);
      if (box) { box.remove(); box = null; }
      if (link) { link.removeAttribute("aria-describedby"); link = null; }
    }
    function show(a, data) {
      hide();
      if (!data || typeof data.title !== "string") return;
      box = el("div", "preview");
      box.id = "rapport-preview";
      box.setAttribute("role", "tooltip");
      if (data.section) box.appendChild(el("p", "preview-section", String(data.section)));
      box.appendChild(el("p", "preview-title", data.title));
      if (data.summary) box.appendChild(el("p", "preview-summary", String(data.summary)));
      var meta = [];
      if (data.reading_time) meta.push(data.reading_time + " min read");
      if (data.reviewed) meta.push("Reviewed " + String(data.reviewed).slice(0, 10));
      if (meta.length) box.appendChild(el("p", "preview-meta", meta.join(" · ")));
      box.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
      box.addEventListener("pointerleave", scheduleHide);
      doc.body.appendChild(box);
      link = a;
      a.setAttribute("aria-describedby", box.id);
      place(a);
    }
    function place(a) {
      var r = a.getClientRects()[0] || a.getBoundingClientRect();
      var w = box.offsetWidth, h = box.offsetHeight, vw = doc.documentElement.clientWidth;
      var left = Math.max(8, Math.min(r.left, vw - w - 8));
      var below = r.bottom + 8, above = r.top - h - 8;
      var top = below + h > window.innerHeight && above > 0 ? above : below;
      box.style.left = left + window.scrollX + "px";
      box.style.top = top + window.scrollY + "px";
    }
    function scheduleHide() {
      clearTimeout(showTimer);
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 250);
    }
    doc.addEventListener("pointerover", function (e) {
      if (e.pointerType && e.pointerType !== "mouse") return;
      var a = e.target.closest ? e.target.closest("main a[href]") : null;
      if (!a) return;
      clearTimeout(hideTimer);
      if (a === link) return;
      var key = previewKey(a);
      if (!key) return;
      clearTimeout(showTimer);
      showTimer = setTimeout(function () {
        load(key).then(function (data) { if (a.matches(":hover")) show(a, data); });
      }, 300);
    });
    doc.addEventListener("pointerout", function (e) {
      var a = e.target.closest ? e.target.closest("main a[href]") : null;
      if (a && !(e.relatedTarget && a.contains(e.relatedTarget))) scheduleHide();
    });
    doc.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
    window.addEventListener("resize", hide);
  }

  // Printing opens folded callouts, so the paper copy is complete.
  function printOpensDetails() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      each(".content details:not([open])", function (d) { d.open = true; opened.push(d); });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  [themeToggle, tocTracking, copyButtons, scrollableTables, footnoteBacklinks, previews, printOpensDetails].forEach(function (f) {
    try { f(); } catch (e) { if (window.console) console.error(e); }
  });
})();
