// The one script of the signed-in pages; every page works without it.
// 1. Warn before leaving a form that holds unsaved input (forms opt in with data-unsaved-warning;
//    "dirty" marks a form re-shown with unsaved input after an error or a conflict).
// 2. The phone's offline entry (issue 31): register the service worker (static/js/sw.js), say when
//    a page shows data kept on the device, keep the assessment form's edits on the device while
//    offline and send them through the same save when the network returns. Every text shown here
//    is rendered by the server in the user's language; this file only shows or fills it.
// 3. Sorting a table or turning its page keeps the reader where she was, not at the page's top.
// 4. The report's waiting page asks by itself, saves the file when it is ready and then says so
//    (a meta refresh, the page's way without a script, leaves "Đang tạo báo cáo…" on screen after
//    the download).
// 5. On the assessment form, a status that differs from what the numbers suggest says at once that
//    it needs a note (the save says so too, without the script).
// 6. A big workbook's waiting page (reviews.workbook.background) moves its progress bar in place
//    and goes to the result when it is there.
(function () {
  "use strict";
  var root = document.documentElement;

  // ---- 1. unsaved input --------------------------------------------------------------------
  var dirty = false;
  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    if (form.getAttribute("data-unsaved-warning") === "dirty") {
      dirty = true;
    }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () {
      dirty = false;
      // The folds she had open come back open if the page is shown again (an error, a conflict).
      var opened = form.querySelectorAll("details.assess-field[open][id]");
      if (opened.length) {
        var field = form.querySelector("input[name=opened]") || document.createElement("input");
        field.type = "hidden";
        field.name = "opened";
        field.value = Array.prototype.map.call(opened, function (d) { return d.id; }).join(",");
        form.appendChild(field);
      }
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ---- 3. the place on the page, across a sort or a page of a table ------------------------
  var SCROLL_KEY = "soket-scroll";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("thead a[href], .pagination a[href]");
    if (link && window.sessionStorage) {
      try {
        sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ url: link.href, y: window.scrollY }));
      } catch (e) { /* storage full or refused: the page just opens at its top */ }
    }
  });
  try {
    var place = window.sessionStorage && JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
    if (place && place.url === location.href) {
      sessionStorage.removeItem(SCROLL_KEY);
      window.scrollTo(0, place.y);
    }
  } catch (e) { /* an unreadable entry: ignore it */ }

  // ---- 4. the report's waiting page ---------------------------------------------------------
  var wait = document.querySelector("[data-render-wait]");
  if (wait && window.fetch && window.URL && URL.createObjectURL) {
    var again = wait.getAttribute("data-again");
    var every = 1000 * (parseInt(wait.getAttribute("data-seconds"), 10) || 3);
    var poll = function () {
      fetch(again, { credentials: "same-origin" }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") === 0) {
          return response.text().then(function (html) {
            if (response.status === 202 && html.indexOf("data-render-wait") !== -1) {
              window.setTimeout(poll, every);  // still rendering
            } else {
              window.location.assign(again);  // a failure or a full queue: its own page says why
            }
          });
        }
        var disposition = response.headers.get("Content-Disposition") || "";
        var name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "";
        return response.blob().then(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = name;
          document.body.appendChild(a);
          a.click();
          a.remove();
          wait.querySelector("[data-waiting]").hidden = true;
          wait.querySelector("[data-done]").hidden = false;
          document.title = wait.getAttribute("data-done-title");
        });
      }).catch(function () { window.setTimeout(poll, every); });  // offline for a moment
    };
    window.setTimeout(poll, every);
  }

  // ---- 5. a judgement that differs from the suggestion, seen as she chooses ----------------
  var hintText = document.getElementById("disagree-hint");
  if (hintText) {
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches(".assess-card input[type=radio][name$='-status']")) {
        return;
      }
      var card = input.closest(".assess-card");
      var badge = card.querySelector("details.results > summary .status");
      var suggested = badge && (badge.className.match(/status-([a-z_]+)/) || [])[1];
      var differs = !!suggested && input.value !== "not_assessed" && input.value !== suggested;
      var hint = card.querySelector(".disagree-hint");
      if (differs && !hint) {
        hint = document.createElement("p");
        hint.className = "disagree-hint";
        hint.setAttribute("role", "status");
        card.querySelector(".choices").insertAdjacentElement("afterend", hint);
      }
      if (hint) {
        var text = (hintText.content || hintText).textContent;  // a <template>: its text is in .content
        hint.textContent = text.replace("__SUGGESTED__", badge ? badge.textContent : "");
        hint.hidden = !differs;
      }
    });
  }

  // ---- 6. a big workbook's waiting page ------------------------------------------------------
  // Asks again every few seconds and moves the progress bar in place; once the page is no longer
  // the waiting one (the result, or a failure that says why) it goes there.
  var importWait = document.querySelector("[data-import-wait]");
  if (importWait && window.fetch && window.DOMParser) {
    var importAgain = importWait.getAttribute("data-again");
    var importEvery = 1000 * (parseInt(importWait.getAttribute("data-seconds"), 10) || 3);
    var importPoll = function () {
      fetch(importAgain, { credentials: "same-origin" }).then(function (response) {
        return response.text().then(function (html) {
          if (response.status !== 202 || html.indexOf("data-import-wait") === -1) {
            window.location.assign(importAgain);
            return;
          }
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-progress]");
          var shown = importWait.querySelector("[data-progress]");
          if (fresh && shown) {
            shown.innerHTML = fresh.innerHTML;
          }
          window.setTimeout(importPoll, importEvery);
        });
      }).catch(function () { window.setTimeout(importPoll, importEvery); });  // offline for a moment
    };
    window.setTimeout(importPoll, importEvery);
  }

  // ---- 2. offline --------------------------------------------------------------------------
  var banner = document.getElementById("offline-banner");
  var worker = "serviceWorker" in navigator && document.currentScript.getAttribute("data-worker");
  if (!banner || !worker) {
    return;
  }
  var kept = root.hasAttribute("data-kept");  // this page came from the device, not the server
  if (kept) {
    // The messages of the visit that kept the page ("Đã lưu…") are not news any more.
    document.querySelectorAll("main > .messages").forEach(function (m) { m.hidden = true; });
  }
  var controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
  if (!kept) {
    navigator.serviceWorker.ready.then(function () {
      // Kept by the worker: this page if it loaded before the worker took over, and the
      // committee's assessment page it links to (not fetched again when already kept).
      var urls = controlled ? [] : [window.location.href];
      var assess = document.querySelector("main a[href*='/assess/']");
      if (assess) {
        urls.push(assess.href);
      }
      var refresh = urls.map(function (u, i) { return !controlled && i === 0; });
      if (urls.length) {
        ask({ type: "keep", urls: urls, refresh: refresh }).catch(function () {});
      }
    });
  }

  // When the data was fetched: when the device kept the page, or when this page loaded.
  var fetched = new Date(Number(root.getAttribute("data-kept")) || Date.now());
  var when;
  try {
    when = new Intl.DateTimeFormat(root.lang, {
      hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric",
      timeZone: banner.getAttribute("data-time-zone") || undefined,
    }).format(fetched);
  } catch (unknownZone) {
    when = fetched.toLocaleString();
  }
  banner.querySelectorAll("span").forEach(function (span) {
    span.firstChild.textContent = span.firstChild.textContent.replace("__WHEN__", when);
  });

  function showBanner() {
    var online = navigator.onLine;
    banner.hidden = online && !kept;
    banner.querySelector(".when-offline").hidden = online;
    banner.querySelector(".when-online").hidden = !online;
  }
  showBanner();

  function fill(text, values) {
    return text.replace(/__([A-Z]+)__/g, function (all, name) { return name in values ? values[name] : all; });
  }

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        (navigator.serviceWorker.controller || registration.active).postMessage(message, [channel.port2]);
      });
    });
  }

  function say(text, kind) {
    var box = document.querySelector(".assess-save .offline-note") || document.getElementById("offline-note");
    box.className = "offline-note message " + (kind || "warning");
    box.textContent = text;
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  // Offline, a form other than the assessment form cannot be sent (a workflow step, the
  // language, a filter): say so instead of a browser error page. Logging out forgets the device.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-offline") || event.defaultPrevented) {
      return;
    }
    if (form.hasAttribute("data-logout")) {
      event.preventDefault();
      var leave = function () { form.submit(); };
      ask({ type: "list", page: null }).then(function (records) {
        if (records && records.length && !window.confirm(banner.getAttribute("data-unsent"))) {
          return;
        }
        ask({ type: "logout" }).then(leave, leave);
      }, leave);
      return;
    }
    if (!navigator.onLine && form.method.toLowerCase() === "post") {
      event.preventDefault();
      say(banner.getAttribute("data-needs-network"));
    }
  });

  var form = document.querySelector("form[data-offline]");
  var status = document.getElementById("kept-edits");
  var page = form && form.getAttribute("action");
  var touched = {};
  var records = [];

  function cardOf(pk) {
    return document.getElementById("row-" + pk);
  }

  function fieldsOf(card) {
    var out = {};
    card.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (input) {
      if (input.disabled || ((input.type === "radio" || input.type === "checkbox") && !input.checked)) {
        return;
      }
      out[input.name] = input.value;
    });
    return out;
  }

  function putFields(card, fields) {
    card.querySelectorAll("input[name], textarea[name]").forEach(function (input) {
      if (input.type === "radio") {
        input.checked = fields[input.name] === input.value;
      } else if (input.type === "checkbox") {
        input.checked = input.name in fields;
      } else if (input.name in fields) {
        input.value = fields[input.name];
      }
    });
    var group = card.closest("details");
    if (group) {
      group.open = true;
    }
  }

  // "Đạt và vượt; Thực hiện giữa nhiệm kỳ: “29”; Ghi chú: “…”", named by the card's own labels.
  function describe(card, status, value, note) {
    var parts = [];
    var radio = card.querySelector("input[type=radio][value='" + status + "']");
    if (radio) {
      parts.push(radio.closest("label").textContent.trim());
    }
    [[".card-value label", value], [".card-note label", note]].forEach(function (pair) {
      var label = card.querySelector(pair[0]);
      if (pair[1] && label) {
        parts.push(label.textContent.trim() + ": “" + pair[1] + "”");
      }
    });
    return parts.join("; ");
  }

  function field(record, name) {
    return record.fields["i" + record.pk + "-" + name] || "";
  }

  function render() {
    document.querySelectorAll(".kept-conflict").forEach(function (box) { box.remove(); });
    document.querySelectorAll(".assess-card.kept-edit").forEach(function (c) { c.classList.remove("kept-edit"); });
    var waiting = 0;
    records.forEach(function (record) {
      var card = cardOf(record.pk);
      if (!card) {
        return;
      }
      card.classList.add("kept-edit");
      if (record.state === "pending") {
        waiting += 1;
        putFields(card, record.fields);
        return;
      }
      // A conflict keeps the page's values in the inputs and shows the secretary's beside the
      // stored one, to choose; an invalid edit goes back into the inputs with the server's words.
      var box = document.getElementById("kept-conflict").content.firstElementChild.cloneNode(true);
      var s = record.server;
      if (record.state === "conflict" && s) {
        box.querySelector(".kept-server").textContent = fill(status.getAttribute("data-conflict"), {
          WHO: s.who, WHEN: s.when, SERVER: describe(card, s.status, s.value, s.note),
        });
        box.querySelector(".kept-mine").textContent = fill(status.getAttribute("data-mine"), {
          MINE: describe(card, field(record, "status"), field(record, "value"), field(record, "note")),
        });
      } else {
        putFields(card, record.fields);
        box.querySelector(".kept-title").textContent = status.getAttribute("data-invalid");
        box.querySelector(".kept-server").textContent = (record.errors || []).join(" ");
        box.querySelector(".kept-mine").remove();
        box.querySelector("[data-choice=mine]").remove();
      }
      box.querySelectorAll("[data-choice]").forEach(function (button) {
        button.addEventListener("click", function () {
          ask({ type: "resolve", id: record.id, choice: button.getAttribute("data-choice") }).then(function () {
            if (button.getAttribute("data-choice") === "server" && navigator.onLine) {
              window.location.reload();  // the page shows the stored value afresh
            } else {
              refresh(navigator.onLine);
            }
          });
        });
      });
      card.querySelector(".card-value").before(box);
      var group = card.closest("details");
      if (group) {
        group.open = true;
      }
    });
    status.querySelector(".kept-count").textContent = fill(status.getAttribute("data-saved"), { N: waiting });
    status.querySelector("[data-send]").hidden = !navigator.onLine;
    status.hidden = !waiting;
  }

  function refresh(send) {
    return ask({ type: "list", page: page }).then(function (list) {
      records = list || [];
      render();
      if (send && navigator.onLine && records.some(function (r) { return r.state === "pending"; })) {
        ask({ type: "send" });
      }
    });
  }

  function offlineSave(event) {
    var pks = {};
    Object.keys(touched).forEach(function (pk) { pks[pk] = true; });
    records.forEach(function (r) { if (r.state !== "conflict") { pks[r.pk] = true; } });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var batch = Object.keys(pks).map(function (pk) {
      return { pk: pk, fields: fieldsOf(cardOf(pk)), token: token, savedAt: Date.now() };
    });
    var submitting = event.submitter && event.submitter.value === "submit";
    ask({ type: "store", page: page, records: batch }).then(function (answer) {
      if (!answer || !answer.ok) {
        say(banner.getAttribute("data-needs-network"));
        return;
      }
      touched = {};
      dirty = false;
      navigator.serviceWorker.ready.then(function (registration) {
        return registration.sync && registration.sync.register("soket-edits");
      }).catch(function () {});
      refresh(false).then(function () {
        if (submitting) {
          say(status.getAttribute("data-submit-offline"));
        }
        status.scrollIntoView({ block: "nearest" });
      });
    });
  }

  function onSent(outcome) {
    if (outcome.sent && navigator.onLine && !dirty) {
      window.sessionStorage.setItem("soket-sent", String(outcome.sent));
      window.location.reload();  // the page shows what the server now holds
      return;
    }
    if (outcome.sent) {
      // Not reloaded over what the secretary is typing; a save of a row sent meanwhile is
      // refused as a conflict by the page's own check, never saved over it.
      say(fill(status.getAttribute("data-sent"), { N: outcome.sent }), "success");
    }
    if (outcome.message && outcome.message !== "offline") {
      say(fill(status.getAttribute("data-failed"), {
        WHY: outcome.message === "login" ? status.getAttribute("data-login") : outcome.message,
      }));
    }
    refresh(false);
  }

  if (form && status) {
    form.addEventListener("input", function (event) {
      var card = event.target.closest(".assess-card");
      if (card) {
        touched[card.id.slice(4)] = true;
      }
    });
    form.addEventListener("change", function (event) {
      var card = event.target.closest(".assess-card");
      if (card) {
        touched[card.id.slice(4)] = true;
      }
    });
    form.addEventListener("submit", function (event) {
      if (!navigator.serviceWorker.controller) {
        return;  // no worker yet: the form posts as it always has
      }
      if (!navigator.onLine) {
        event.preventDefault();
        offlineSave(event);
        return;
      }
      // Online, the inputs hold what was kept for these rows: the normal save carries it now.
      var posted = records.filter(function (r) { return r.state !== "conflict"; });
      posted.forEach(function (r) { ask({ type: "resolve", id: r.id, choice: "server" }); });
    });
    status.querySelector("[data-send]").addEventListener("click", function () { ask({ type: "send" }); });
    var sent = window.sessionStorage.getItem("soket-sent");
    if (sent) {
      window.sessionStorage.removeItem("soket-sent");
      say(fill(status.getAttribute("data-sent"), { N: sent }), "success");
    }
    navigator.serviceWorker.ready.then(function () {
      if (navigator.serviceWorker.controller) {
        refresh(true);
      }
    });
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "sent" && form && status) {
      onSent(event.data.outcome);
    }
  });
  window.addEventListener("online", function () {
    showBanner();
    if (form && status && navigator.serviceWorker.controller) {
      refresh(true);
    }
  });
  window.addEventListener("offline", function () {
    showBanner();
    if (status) {
      render();
    }
  });
}());
