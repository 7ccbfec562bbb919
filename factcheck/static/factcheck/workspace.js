// Keyboard shortcuts of the review page: "n" opens the next claim in my queue, Ctrl+S (or
// Cmd+S) saves the verdict draft. The page works without this script; it only saves keystrokes.
document.addEventListener("keydown", function (event) {
  var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
  if ((event.ctrlKey || event.metaKey) && event.key === "s") {
    var form = document.getElementById("verdict-form");
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
    return;
  }
  if (!typing && event.key === "n" && !event.ctrlKey && !event.metaKey && !event.altKey) {
    var next = document.getElementById("workspace").dataset.nextUrl;
    if (next) {
      window.location.assign(next);
    }
  }
});
