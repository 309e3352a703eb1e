// Small behaviours of the admin shell. No framework: htmx does the partial updates.
(function () {
  "use strict";
  // A failed htmx request shows an inline message instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("messages");
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast error";
    toast.setAttribute("role", "alert");
    var status = event.detail.xhr ? event.detail.xhr.status : "";
    toast.textContent = (document.body.dataset.errorText || "The request failed") + (status ? " (" + status + ")" : "") + ".";
    box.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 6000);
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast error";
    toast.textContent = document.body.dataset.offlineText || "The server could not be reached.";
    box.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 6000);
  });
  // Toasts fade on their own.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".toast").forEach(function (toast) {
      setTimeout(function () { toast.remove(); }, 6000);
    });
  });
})();
