/* Visit reports that survive a bad connection (issue 5, point 3).
 *
 * Saving the form never needs the network: the report goes into IndexedDB on the phone first
 * (text and photos together), with a UUID made here. Then, whenever the phone is online (on
 * save, on page load, on the `online` event and on "Send now"), each waiting report is posted
 * to the page's own URL as multipart. The server is idempotent on (facilitator, UUID), so a
 * report whose answer was lost on the way back is simply sent again and answers with the first
 * visit; only a clear answer (sent, or refused with reasons) changes what the phone keeps.
 * Plain JS, no build step; without JS the form posts normally.
 */
(function () {
  "use strict";

  var form = document.getElementById("visit-form");
  if (!form) return;
  var DB_NAME = "opop-visits";
  var STORE = "drafts";
  var owner = form.dataset.owner;
  var msg = form.dataset;
  var draftList = document.getElementById("draft-list");
  var sentList = document.getElementById("sent-list");
  var messages = document.getElementById("visit-messages");
  var netStatus = document.getElementById("net-status");
  var photosInput = document.getElementById("photos");
  var keptPhotos = []; // photos of the draft being edited (a file input cannot be refilled)
  var sending = false;
  var dbPromise = null;

  // ---- IndexedDB, promisified -------------------------------------------------------------

  function openDb() {
    if (!("indexedDB" in window)) return Promise.reject(new Error("no IndexedDB"));
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "uuid" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var store = transaction.objectStore(STORE);
        var result = work(store);
        transaction.oncomplete = function () { resolve(result ? result.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function putDraft(draft) { return tx("readwrite", function (s) { s.put(draft); }); }
  function deleteDraft(uuid) { return tx("readwrite", function (s) { s.delete(uuid); }); }
  function allDrafts() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      // Another user of the same phone never sees or sends these reports.
      return (rows || []).filter(function (d) { return String(d.owner) === String(owner); })
        .sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }

  // ---- small helpers ----------------------------------------------------------------------

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function say(text, kind) {
    messages.replaceChildren(el("div", { "class": "alert alert-" + (kind || "info") + " small py-2", role: "status" }, text));
  }

  function today() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 10);
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function field(name) { return form.elements.namedItem(name); }

  var FIELDS = ["pesantren", "visited_on", "purpose", "purpose_other", "notes",
                "latitude", "longitude", "location_accuracy", "location_read_at"];

  // ---- the form ---------------------------------------------------------------------------

  function itemRows() { return Array.prototype.slice.call(document.querySelectorAll("[data-item-row]")); }

  function addItemRow() {
    var rows = itemRows();
    var copy = rows[rows.length - 1].cloneNode(true);
    var n = rows.length;
    copy.querySelectorAll("input").forEach(function (input) {
      var part = input.dataset.item;
      input.id = input.name = "item-" + n + "-" + part;
      input.value = "";
    });
    copy.querySelectorAll("label").forEach(function (label) {
      label.htmlFor = label.htmlFor.replace(/item-\d+-/, "item-" + n + "-");
    });
    document.getElementById("items").appendChild(copy);
    return copy;
  }

  function readItems() {
    return itemRows().map(function (row) {
      var item = {};
      row.querySelectorAll("input").forEach(function (input) { item[input.dataset.item] = input.value.trim(); });
      return item;
    }).filter(function (item) { return item.text || item.due_on || item.responsible; });
  }

  function togglePurposeOther() {
    document.getElementById("purpose-other-row").hidden = field("purpose").value !== "other";
  }

  function showLocation() {
    var lat = field("latitude").value, text = document.getElementById("location-text");
    document.getElementById("clear-location").hidden = !lat;
    if (!lat) return;
    var acc = field("location_accuracy").value;
    text.textContent = Number(lat).toFixed(5) + ", " + Number(field("longitude").value).toFixed(5) +
      (acc ? " (± " + Math.round(acc) + " m)" : "") + " · " + new Date(field("location_read_at").value).toLocaleString();
  }

  function clearLocation() {
    ["latitude", "longitude", "location_accuracy", "location_read_at"].forEach(function (n) { field(n).value = ""; });
    document.getElementById("location-text").textContent = "";
    showLocation();
  }

  function readLocation() {
    if (!navigator.geolocation) { say(msg.msgLocationFailed, "warning"); return; }
    document.getElementById("location-text").textContent = msg.msgReading;
    navigator.geolocation.getCurrentPosition(function (pos) {
      field("latitude").value = pos.coords.latitude.toFixed(6);
      field("longitude").value = pos.coords.longitude.toFixed(6);
      field("location_accuracy").value = pos.coords.accuracy != null ? Math.round(pos.coords.accuracy) : "";
      field("location_read_at").value = new Date(pos.timestamp || Date.now()).toISOString();
      showLocation();
    }, function () {
      document.getElementById("location-text").textContent = "";
      say(msg.msgLocationFailed, "warning");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  function resetForm() {
    form.reset();
    keptPhotos = [];
    document.getElementById("kept-photos").textContent = "";
    field("client_uuid").value = newUuid();
    field("visited_on").value = today();
    clearLocation();
    togglePurposeOther();
  }

  function fillForm(draft) {
    resetForm();
    field("client_uuid").value = draft.uuid;
    FIELDS.forEach(function (n) { field(n).value = draft.fields[n] || ""; });
    var rows = itemRows();
    draft.items.forEach(function (item, i) {
      var row = rows[i] || addItemRow();
      row.querySelectorAll("input").forEach(function (input) { input.value = item[input.dataset.item] || ""; });
    });
    keptPhotos = draft.photos || [];
    document.getElementById("kept-photos").textContent = keptPhotos.length ? msg.msgPhotos + ": " + keptPhotos.length : "";
    togglePurposeOther();
    showLocation();
    form.scrollIntoView();
  }

  function draftFromForm() {
    var fields = {};
    FIELDS.forEach(function (n) { fields[n] = (field(n).value || "").trim(); });
    var select = field("pesantren");
    var photos = keptPhotos.slice();
    Array.prototype.forEach.call(photosInput.files || [], function (file) {
      photos.push({ name: file.name, type: file.type, blob: file });
    });
    return {
      uuid: field("client_uuid").value || newUuid(),
      owner: owner,
      fields: fields,
      items: readItems(),
      photos: photos,
      pesantrenName: select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "",
      savedAt: new Date().toISOString(),
      error: "",
    };
  }

  // ---- the list of waiting reports --------------------------------------------------------

  function renderDrafts() {
    return allDrafts().then(function (drafts) {
      draftList.replaceChildren();
      document.getElementById("drafts-section").hidden = drafts.length === 0;
      drafts.forEach(function (d) {
        var li = el("li", { "class": "list-group-item", "data-draft": d.uuid });
        li.appendChild(el("div", { "class": "fw-semibold" }, d.pesantrenName || "—"));
        li.appendChild(el("div", { "class": "small text-body-secondary" },
          d.fields.visited_on + " · " + msg.msgItems + ": " + d.items.length + " · " + msg.msgPhotos + ": " + d.photos.length));
        if (d.error) li.appendChild(el("div", { "class": "small text-danger", "data-error": "" }, d.error));
        else li.appendChild(el("div", { "class": "small text-body-secondary", "data-state": "" }, msg.msgWaiting));
        var buttons = el("div", { "class": "mt-1 d-flex gap-2" });
        var edit = el("button", { type: "button", "class": "btn btn-outline-secondary btn-sm" }, msg.msgEdit);
        edit.addEventListener("click", function () { fillForm(d); });
        var remove = el("button", { type: "button", "class": "btn btn-outline-danger btn-sm" }, msg.msgDelete);
        remove.addEventListener("click", function () {
          if (window.confirm(msg.msgConfirmDelete)) deleteDraft(d.uuid).then(renderDrafts);
        });
        buttons.appendChild(edit);
        buttons.appendChild(remove);
        li.appendChild(buttons);
        draftList.appendChild(li);
      });
      return drafts;
    });
  }

  function showSent(draft, answer) {
    document.getElementById("sent-section").hidden = false;
    var li = el("li", { "class": "list-group-item d-flex justify-content-between", "data-sent": draft.uuid });
    li.appendChild(el("span", {}, (draft.pesantrenName || "—") + " · " + draft.fields.visited_on));
    li.appendChild(el("a", { href: answer.url }, msg.msgOpen));
    sentList.appendChild(li);
  }

  // ---- sending ----------------------------------------------------------------------------

  function formDataOf(draft) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    data.append("client_uuid", draft.uuid);
    FIELDS.forEach(function (n) { data.append(n, draft.fields[n] || ""); });
    draft.items.forEach(function (item, i) {
      data.append("item-" + i + "-text", item.text || "");
      data.append("item-" + i + "-due_on", item.due_on || "");
      data.append("item-" + i + "-responsible", item.responsible || "");
    });
    draft.photos.forEach(function (p) { data.append("photos", p.blob, p.name || "photo.jpg"); });
    return data;
  }

  function errorText(errors) {
    var parts = [];
    Object.keys(errors || {}).forEach(function (k) {
      (errors[k] || []).forEach(function (e) { parts.push(e.message || String(e)); });
    });
    return parts.join(" ");
  }

  // Resolves "sent", "refused", "login" or "offline" (the connection failed: try later).
  function sendOne(draft) {
    return fetch(form.action, {
      method: "POST",
      body: formDataOf(draft),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // A login page after a redirect, or Django's CSRF refusal: the phone keeps the report.
        return "login";
      }
      return response.json().then(function (body) {
        if (response.ok) {
          return deleteDraft(draft.uuid).then(function () { showSent(draft, body); return "sent"; });
        }
        if (response.status === 400) {
          draft.error = msg.msgRefused + " " + errorText(body.errors);
          return putDraft(draft).then(function () { return "refused"; });
        }
        return "login";
      });
    }, function () { return "offline"; });
  }

  function sendAll() {
    if (sending) return Promise.resolve();
    if (!navigator.onLine) { updateStatus(); return Promise.resolve(); }
    sending = true;
    netStatus.textContent = msg.msgSending;
    return allDrafts().then(function (drafts) {
      // One at a time, in the order saved; a failed connection stops the round.
      var chain = Promise.resolve("sent");
      drafts.forEach(function (d) {
        chain = chain.then(function (last) {
          if (last === "offline" || last === "login") return last;
          return sendOne(d);
        });
      });
      return chain;
    }).then(function (last) {
      if (last === "login") say(msg.msgLogin, "warning");
    }).catch(function () { /* storage failure: the drafts stay where they are */ })
      .then(function () {
        sending = false;
        updateStatus();
        return renderDrafts();
      });
  }

  function updateStatus() {
    var online = navigator.onLine;
    netStatus.textContent = online ? msg.msgOnline : msg.msgOffline;
    netStatus.className = "badge " + (online ? "text-bg-success" : "text-bg-warning");
    netStatus.dataset.online = online ? "1" : "0";
  }

  // ---- wiring -----------------------------------------------------------------------------

  form.addEventListener("submit", function (event) {
    if (!("indexedDB" in window)) {
      say(msg.msgNoStorage, "warning");
      return; // the plain POST still works online
    }
    event.preventDefault();
    if (!field("pesantren").value || !field("visited_on").value || !field("purpose").value) {
      say(msg.msgRequired, "danger");
      return;
    }
    var draft = draftFromForm();
    putDraft(draft).then(function () {
      say(msg.msgSaved, "success");
      resetForm();
      return renderDrafts();
    }).then(sendAll).catch(function () {
      say(msg.msgNoStorage, "warning");
    });
  });

  document.getElementById("add-item").addEventListener("click", addItemRow);
  document.getElementById("read-location").addEventListener("click", readLocation);
  document.getElementById("clear-location").addEventListener("click", clearLocation);
  document.getElementById("send-now").addEventListener("click", sendAll);
  field("purpose").addEventListener("change", togglePurposeOther);
  window.addEventListener("online", function () { updateStatus(); sendAll(); });
  window.addEventListener("offline", updateStatus);

  resetForm();
  updateStatus();
  renderDrafts().then(function (drafts) { if (drafts.length) sendAll(); }).catch(function () {});
})();
