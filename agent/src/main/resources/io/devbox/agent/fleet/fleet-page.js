(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#hosts tbody tr"));
  var status = document.getElementById("f-status");
  var label = document.getElementById("f-label");
  var host = document.getElementById("f-host");
  var shown = document.getElementById("shown");

  function matches(r) {
    if (status.value && r.getAttribute("data-flags").split(" ").indexOf(status.value) < 0) return false;
    if (label.value && r.getAttribute("data-labels").split("\n").indexOf(label.value) < 0) return false;
    var t = host.value.trim().toLowerCase();
    return !t || r.getAttribute("data-host").toLowerCase().indexOf(t) >= 0;
  }

  function apply() {
    var n = 0;
    rows.forEach(function (r) {
      var show = matches(r);
      r.hidden = !show;
      if (show) n++;
    });
    shown.textContent = n + " of " + rows.length + (rows.length === 1 ? " box" : " boxes");
    var q = [];
    if (status.value) q.push("status=" + encodeURIComponent(status.value));
    if (label.value) q.push("label=" + encodeURIComponent(label.value));
    if (host.value) q.push("host=" + encodeURIComponent(host.value));
    try {
      history.replaceState(null, "", q.length ? "#" + q.join("&") : location.pathname + location.search);
    } catch (e) {
      // a page opened from a file may not rewrite its address in every browser: the filter still applies
    }
  }

  function choose(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        select.selectedIndex = i;
        return;
      }
    }
  }

  function fromAddress() {
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var at = kv.indexOf("=");
      if (at < 0) return;
      var k = kv.slice(0, at), v;
      try {
        v = decodeURIComponent(kv.slice(at + 1));
      } catch (e) {
        return;
      }
      if (k === "status") choose(status, v);
      else if (k === "label") choose(label, v);
      else if (k === "host") host.value = v;
    });
  }

  status.addEventListener("change", apply);
  label.addEventListener("change", apply);
  host.addEventListener("input", apply);
  window.addEventListener("hashchange", function () {
    fromAddress();
    apply();
  });
  fromAddress();
  apply();
})();
