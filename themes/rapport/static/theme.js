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
  // Every word shown comes from the site's label table (base.html).
  var L = {};
  try { L = JSON.parse((doc.getElementById("theme-labels") || {}).textContent || "{}"); } catch (e) { L = {}; }
  var say = function (key, fallback, fill) {
    var s = typeof L[key] === "string" ? L[key] : fallback;
    Object.keys(fill || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(fill[k])); });
    return s;
  };
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
      var button = el("button", "copy-button", say("copy", "Copy"));
      button.type = "button";
      button.setAttribute("aria-label", say("copy_code", "Copy code"));
      var timer;
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent).then(function () {
          button.textContent = say("copied", "Copied");
          announce(say("code_copied", "Code copied to the clipboard"));
        }, function () {
          button.textContent = say("select_and_copy", "Select and copy");
          var range = doc.createRange();
          range.selectNodeContents(code);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        });
        clearTimeout(timer);
        timer = setTimeout(function () { button.textContent = say("copy", "Copy"); }, 2000);
      });
      wrap.appendChild(button);
    });
  }

  // Tables wider than the column scroll; make them reachable by keyboard.
  function scrollableTables(from) {
    each(".content table", function (t) {
      if (t.scrollWidth <= t.clientWidth + 1) return;
      t.tabIndex = 0;
      // A table that scrolls anyway gets columns wide enough to read, not one word a line.
      t.classList.add("is-wide");
      var hint = el("p", "table-hint", say("table_scroll", "Scroll the table sideways"));
      hint.setAttribute("aria-hidden", "true");
      t.parentNode.insertBefore(hint, t);
      if (!t.getAttribute("aria-label") && !t.querySelector("caption")) t.setAttribute("aria-label", hint.textContent);
    }, from);
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
      back.setAttribute("aria-label", say("back_to_note", "Back to where note {n} is cited", { n: a.textContent }));
      note.appendChild(back);
    });
  }

  // Link previews. Records live in previews/<n>.json, n being the FNV-1a hash
  // of the target's output path masked to the count on <html data-previews>.
  // A mouse resting on an internal link shows a tooltip; on touch screens a
  // small button after the link opens the preview as a bottom sheet.
  var previewCache = {};
  var buckets = +root.getAttribute("data-previews") || 0;
  var previewsWork = !!(buckets && window.fetch && window.JSON && window.TextEncoder);
  function bucketOf(key) {
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h & (buckets - 1);
  }
  function pathKey(pathname) {
    var path;
    try { path = decodeURIComponent(pathname); } catch (e) { return null; }
    if (path.indexOf(base) !== 0) return null;
    var rel = path.slice(base.length);
    if (rel === "" || rel.charAt(rel.length - 1) === "/") rel += "index.html";
    return /\.html$/.test(rel) ? rel : null;
  }
  function previewKey(a) {
    // A citation jumps to its entry on the page; its preview is the work's reference page.
    var target = a.getAttribute("data-preview");
    if (target && target.charAt(0) === "/") return pathKey(target);
    if (a.origin !== location.origin || a.classList.contains("anchor") || a.hasAttribute("download")) return null;
    if (a.closest(".toc, .breadcrumbs, .site-nav, .page-list, .section-cards, .footnote-reference, .preview, [data-not-found]")) return null;
    if (a.pathname === location.pathname) return null;
    return pathKey(a.pathname);
  }
  function loadPreview(key) {
    var url = base + "previews/" + bucketOf(key) + ".json";
    if (!previewCache[url]) {
      previewCache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.json() : null;
      }).catch(function () { return null; });
    }
    return previewCache[url].then(function (records) {
      return records && Object.prototype.hasOwnProperty.call(records, key) ? records[key] : null;
    });
  }
  function readingTime(minutes) {
    return minutes < 1 ? say("under_a_minute", "< 1 min read") : say("min_read", "{n} min read", { n: minutes });
  }
  // The preview's text, as DOM text nodes. `href` makes the title a link (the sheet).
  function fillPreview(box, data, href) {
    if (data.section) box.appendChild(el("p", "preview-section", String(data.section)));
    var title = el("p", "preview-title", href ? "" : data.title);
    if (href) {
      var a = el("a", "", data.title);
      a.href = href;
      title.appendChild(a);
    }
    box.appendChild(title);
    if (data.summary) box.appendChild(el("p", "preview-summary", String(data.summary)));
    var meta = [];
    if (data.reading_time) meta.push(readingTime(+data.reading_time));
    if (data.reviewed) meta.push(say("reviewed_on", "Reviewed {date}", { date: String(data.reviewed).slice(0, 10) }));
    if (meta.length) box.appendChild(el("p", "preview-meta", meta.join(" · ")));
  }

  function hoverPreviews() {
    if (!mq("(hover: hover) and (pointer: fine)") || !previewsWork) return;
    var box = null, link = null, showTimer = 0, hideTimer = 0;
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
      fillPreview(box, data);
      box.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
      box.addEventListener("pointerleave", scheduleHide);
      (doc.getElementById("main") || doc.body).appendChild(box);
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
        loadPreview(key).then(function (data) { if (a.matches(":hover")) show(a, data); });
      }, 300);
    });
    doc.addEventListener("pointerout", function (e) {
      var a = e.target.closest ? e.target.closest("main a[href]") : null;
      if (a && !(e.relatedTarget && a.contains(e.relatedTarget))) scheduleHide();
    });
    doc.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
    window.addEventListener("resize", hide);
  }

  // Touch screens: a long-press would fight the system's own link menu and
  // text selection, and nobody can see it is there; a small button after each
  // internal link in the text is visible, keyboard-reachable and leaves the
  // link itself alone.
  function touchPreviews() {
    if (!mq("(pointer: coarse)") || mq("(pointer: fine)") || !previewsWork) return;
    var sheet = null, backdrop = null, opener = null;
    function close() {
      if (!sheet) return;
      sheet.remove(); backdrop.remove(); sheet = backdrop = null;
      if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); opener = null; }
    }
    function open(button, a, data) {
      close();
      if (!data || typeof data.title !== "string") return;
      backdrop = el("div", "sheet-backdrop");
      backdrop.addEventListener("click", close);
      sheet = el("div", "preview preview-sheet");
      sheet.setAttribute("role", "dialog");
      sheet.setAttribute("aria-label", say("preview_of", "Preview of {title}", { title: data.title }));
      sheet.tabIndex = -1;
      var x = el("button", "preview-close", "×");
      x.type = "button";
      x.setAttribute("aria-label", say("close", "Close"));
      x.addEventListener("click", close);
      sheet.appendChild(x);
      fillPreview(sheet, data, a.getAttribute("href"));
      doc.body.appendChild(backdrop);
      doc.body.appendChild(sheet);
      opener = button;
      button.setAttribute("aria-expanded", "true");
      sheet.focus();
    }
    each("main .content a[href], main .article-links a[href]", function (a) {
      var key = previewKey(a);
      if (!key || a.closest(".content h1, .content h2, .content h3, .content h4")) return;
      var b = el("button", "preview-button", "i");
      b.type = "button";
      b.setAttribute("aria-label", say("preview_of", "Preview of {title}", { title: a.textContent.trim() }));
      b.setAttribute("aria-expanded", "false");
      b.addEventListener("click", function () { loadPreview(key).then(function (d) { open(b, a, d); }); });
      a.insertAdjacentElement("afterend", b);
    });
    doc.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  }

  // Phones: "Menu" opens the section tree in place as a drawer (without
  // JavaScript it is a link down to the same tree). Focus stays inside while
  // it is open; Escape, the close button or a tap outside shut it and focus
  // goes back to "Menu".
  function navDrawer() {
    var jump = doc.querySelector(".nav-jump"), nav = doc.getElementById("site-nav");
    var x = nav && nav.querySelector(".drawer-close");
    if (!jump || !nav || !x) return;
    var backdrop = null, outside = [];
    jump.setAttribute("role", "button");
    jump.setAttribute("aria-expanded", "false");
    x.hidden = false;
    var isOpen = function () { return nav.classList.contains("is-drawer"); };
    var focusable = function () {
      return Array.prototype.filter.call(nav.querySelectorAll("a[href], button, summary"), function (n) {
        // checkVisibility() also hides what a closed <details> holds.
        return n === x || (n.checkVisibility ? n.checkVisibility() : n.offsetParent !== null);
      });
    };
    function openDrawer() {
      nav.classList.add("is-drawer");
      doc.body.classList.add("drawer-open");
      backdrop = el("div", "drawer-backdrop");
      backdrop.addEventListener("click", closeDrawer);
      nav.parentNode.insertBefore(backdrop, nav);
      outside = [doc.querySelector(".site-header"), doc.getElementById("main"), doc.querySelector(".site-footer")].concat(
        Array.prototype.slice.call(doc.querySelectorAll(".skip-link")));
      outside.forEach(function (n) { if (n) n.inert = true; });
      jump.setAttribute("aria-expanded", "true");
      var here = nav.querySelector("[aria-current=page]");
      if (here) here.scrollIntoView({ block: "center" });
      x.focus();
    }
    function closeDrawer() {
      if (!isOpen()) return;
      nav.classList.remove("is-drawer");
      doc.body.classList.remove("drawer-open");
      if (backdrop) { backdrop.remove(); backdrop = null; }
      outside.forEach(function (n) { if (n) n.inert = false; });
      jump.setAttribute("aria-expanded", "false");
      jump.focus();
    }
    jump.addEventListener("click", function (e) {
      if (getComputedStyle(jump).display === "none") return;
      e.preventDefault();
      if (isOpen()) closeDrawer(); else openDrawer();
    });
    jump.addEventListener("keydown", function (e) { if (e.key === " ") { e.preventDefault(); jump.click(); } });
    x.addEventListener("click", closeDrawer);
    doc.addEventListener("keydown", function (e) {
      if (!isOpen()) return;
      if (e.key === "Escape") { e.preventDefault(); closeDrawer(); return; }
      if (e.key !== "Tab") return;
      var items = focusable(), first = items[0], last = items[items.length - 1];
      if (e.shiftKey && doc.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && doc.activeElement === last) { e.preventDefault(); first.focus(); }
      else if (!nav.contains(doc.activeElement)) { e.preventDefault(); first.focus(); }
    });
    window.addEventListener("resize", function () { if (getComputedStyle(jump).display === "none") closeDrawer(); });
  }

  // Phones: the header slides away while reading down and comes back on the
  // first scroll up, so search is always one flick away.
  function reappearingHeader() {
    var header = doc.querySelector(".site-header");
    if (!header) return;
    var last = window.scrollY, ticking = false;
    window.addEventListener("scroll", function () {
      if (ticking) return;
      ticking = true;
      requestAnimationFrame(function () {
        ticking = false;
        var y = window.scrollY, small = !mq("(min-width: 56rem)");
        var within = header.contains(doc.activeElement);
        var away = small && !within && y > header.offsetHeight && y > last;
        if (y < last - 4 || !small || within || y <= header.offsetHeight) header.classList.remove("is-away");
        else if (away) header.classList.add("is-away");
        last = y;
      });
    }, { passive: true });
    header.addEventListener("focusin", function () { header.classList.remove("is-away"); });
  }

  // Long pages: the back-to-top link floats once the reader is a screen down.
  function backToTop() {
    var link = doc.querySelector(".back-to-top");
    if (!link) return;
    var update = function () {
      var long = doc.documentElement.scrollHeight > window.innerHeight * 3;
      link.hidden = doc.documentElement.scrollHeight < window.innerHeight * 1.5;
      link.classList.toggle("is-floating", long && window.scrollY > window.innerHeight);
    };
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    link.addEventListener("click", function (e) {
      e.preventDefault();
      window.scrollTo({ top: 0, behavior: mq("(prefers-reduced-motion: reduce)") ? "auto" : "smooth" });
      var main = doc.getElementById("main");
      var target = doc.querySelector(".site-title") || main;
      if (target) target.focus({ preventScroll: true });
    });
    update();
  }

  // "press /" means nothing on a phone.
  function touchSearchHint() {
    var input = doc.getElementById("site-search-input");
    if (input && input.dataset.touchPlaceholder && mq("(pointer: coarse)") && !mq("(pointer: fine)")) {
      input.placeholder = input.dataset.touchPlaceholder;
    }
  }

  // 404: pages whose address resembles the missing one, from the sitemap,
  // titled from their preview records.
  function similarPages() {
    var box = doc.querySelector("[data-not-found] .similar-pages");
    if (!box || !window.fetch || !window.DOMParser) return;
    var words = function (p) { return p.toLowerCase().split(/[^a-z0-9\u00c0-\uffff]+/).filter(Boolean); };
    var wanted;
    try { wanted = decodeURIComponent(location.pathname).slice(base.length); } catch (e) { return; }
    var want = words(wanted);
    if (!want.length) return;
    var last = want[want.length - 1];
    function distance(a, b) {
      var prev = [], cur, i, j;
      for (j = 0; j <= b.length; j++) prev[j] = j;
      for (i = 1; i <= a.length; i++) {
        cur = [i];
        for (j = 1; j <= b.length; j++) {
          cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1));
        }
        prev = cur;
      }
      return prev[b.length];
    }
    function score(path) {
      var have = words(path), s = 0;
      want.forEach(function (w) {
        var best = 0;
        have.forEach(function (h) {
          var d = distance(w, h), m = Math.max(w.length, h.length);
          best = Math.max(best, d === 0 ? 1 : d <= Math.max(1, Math.floor(m / 4)) ? 0.6 : h.indexOf(w) >= 0 || w.indexOf(h) >= 0 ? 0.4 : 0);
        });
        s += best * (w === last ? 2 : 1);
      });
      return s / (want.length + 1) - Math.abs(have.length - want.length) * 0.02;
    }
    fetch(base + "sitemap.xml", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (xml) {
      var locs = new DOMParser().parseFromString(xml, "application/xml").getElementsByTagName("loc");
      var ranked = [];
      Array.prototype.forEach.call(locs, function (n) {
        var path;
        try { path = new URL(n.textContent.trim()).pathname; } catch (e) { return; }
        if (path.indexOf(base) !== 0 || path === base) return;
        var sc = score(path.slice(base.length));
        if (sc > 0.3) ranked.push({ path: path, score: sc });
      });
      ranked.sort(function (a, b) { return b.score - a.score || a.path.length - b.path.length; });
      ranked = ranked.slice(0, 5);
      if (!ranked.length) return;
      return Promise.all(ranked.map(function (r) {
        var key = pathKey(r.path);
        return previewsWork && key ? loadPreview(key) : Promise.resolve(null);
      })).then(function (records) {
        var list = box.querySelector("ul");
        ranked.forEach(function (r, i) {
          var li = el("li"), a = el("a", "", records[i] && records[i].title ? records[i].title : r.path);
          a.href = r.path;
          li.appendChild(a);
          li.appendChild(el("span", "meta", r.path));
          list.appendChild(li);
        });
        box.hidden = false;
      });
    }).catch(function () { /* no sitemap: the search box and sections remain */ });
  }

  // Offline reading, when the site opts in (data-offline on <html>). Never
  // under `rapport serve` (its live-reload client is on the page): there a
  // worker left from a build served at the same address is removed instead.
  function offlineReading() {
    if (!("serviceWorker" in navigator)) return;
    var dev = Array.prototype.some.call(doc.scripts, function (s) { return !s.src && s.textContent.indexOf("/__rapport/events") >= 0; });
    var sw = root.getAttribute("data-offline");
    if (dev || !sw) {
      navigator.serviceWorker.getRegistrations().then(function (rs) {
        rs.forEach(function (r) { if (r.active && /\/sw\.js$/.test(r.active.scriptURL)) r.unregister(); });
      }).catch(function () {});
      return;
    }
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(sw, { scope: base }).catch(function () { /* private mode, file:// */ });
    });
  }

  // Print view of a section (`?print` on a section page): its pages fetched in
  // the section's order and laid out one after another, each with its
  // references, as one document to print.
  function printView() {
    var link = doc.querySelector("[data-print-view]");
    if (!link || !window.fetch || !window.DOMParser) return;
    link.hidden = false;
    if (!/(^|[?&])print(=|&|$)/.test(location.search.slice(1))) return;
    var main = doc.getElementById("main"), listing = main.querySelector(".article");
    var urls = Array.prototype.map.call(main.querySelectorAll(".page-list-title a[href]"), function (a) { return a.href; });
    var title = (listing.querySelector("h1") || {}).textContent || doc.title;
    var view = el("article", "article print-view");
    var head = el("header", "article-header");
    head.appendChild(el("h1", "", say("print_title", "{title}: all {pages}", { title: title, pages: say("pages", "pages") })));
    head.appendChild(el("p", "lede", say("print_intro", "Every {page} of this section in order, for printing.", { page: say("page", "page") })));
    var button = el("button", "print-button", say("print_now", "Print"));
    button.type = "button";
    button.addEventListener("click", function () { window.print(); });
    head.appendChild(button);
    view.appendChild(head);
    var contents = el("nav", "print-contents");
    contents.setAttribute("aria-label", say("print_contents", "Contents"));
    contents.appendChild(el("h2", "", say("print_contents", "Contents")));
    var ol = el("ol");
    contents.appendChild(ol);
    view.appendChild(contents);
    listing.replaceWith(view);
    view.setAttribute("aria-busy", "true");
    Promise.all(urls.map(function (u) {
      return fetch(u, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).catch(function () { return ""; });
    })).then(function (pages) {
      pages.forEach(function (html, i) {
        if (!html) return;
        var article = new DOMParser().parseFromString(html, "text/html").querySelector("main .article");
        if (!article) return;
        var id = "print-page-" + (i + 1);
        // Ids stay unique across pages: each page's own are prefixed.
        each("[id]", function (n) { n.id = id + "-" + n.id; }, article);
        each("a[href^='#']", function (a) { a.setAttribute("href", "#" + id + "-" + a.getAttribute("href").slice(1)); }, article);
        each(".toc, .prev-next, .article-links, .tags, .anchor", function (n) { n.remove(); }, article);
        // Its sections are no landmarks here: every page has "References".
        each("section[aria-labelledby]", function (n) { n.removeAttribute("aria-labelledby"); }, article);
        var section = el("section", "print-page");
        section.id = id;
        var h = article.querySelector("h1");
        if (h) {
          var h2 = el("h2", "print-page-title", h.textContent);
          h.replaceWith(h2);
          var li = el("li"), a = el("a", "", h2.textContent);
          a.href = "#" + id;
          li.appendChild(a);
          ol.appendChild(li);
        }
        // Headings one level down, so the document has a single h1.
        each(".content h2, .content h3, .content h4, .references h2", function (n) {
          var deeper = el(n.tagName === "H4" ? "h5" : n.tagName === "H3" ? "h4" : "h3");
          while (n.firstChild) deeper.appendChild(n.firstChild);
          if (n.id) deeper.id = n.id;
          n.replaceWith(deeper);
        }, article);
        while (article.firstChild) section.appendChild(article.firstChild);
        view.appendChild(section);
      });
      scrollableTables(view);
      view.removeAttribute("aria-busy");
      view.setAttribute("data-print-ready", String(view.querySelectorAll(".print-page").length));
    });
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

  // The youtube shortcode: a link until the reader clicks, then the
  // privacy-enhanced player. No request leaves for YouTube before that.
  function youtubeOnClick() {
    each(".youtube[data-youtube-id]", function (box) {
      var id = box.getAttribute("data-youtube-id") || "";
      var start = parseInt(box.getAttribute("data-youtube-start") || "0", 10) || 0;
      var link = box.querySelector(".youtube-link");
      if (!link || !/^[A-Za-z0-9_-]{6,20}$/.test(id)) return;
      link.setAttribute("role", "button");
      link.addEventListener("click", function (e) {
        e.preventDefault();
        var frame = doc.createElement("iframe");
        frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1" + (start ? "&start=" + start : "");
        frame.title = link.textContent.replace(/^\u25B6\s*/, "");
        frame.allow = "autoplay; encrypted-media; picture-in-picture";
        frame.allowFullscreen = true;
        frame.className = "youtube-frame";
        box.replaceChildren(frame);
      });
    });
  }

  [themeToggle, tocTracking, copyButtons, scrollableTables, footnoteBacklinks, hoverPreviews, touchPreviews, navDrawer,
    reappearingHeader, backToTop, touchSearchHint, similarPages, offlineReading, printView, printOpensDetails, youtubeOnClick].forEach(function (f) {
    try { f(); } catch (e) { if (window.console) console.error(e); }
  });
})();
