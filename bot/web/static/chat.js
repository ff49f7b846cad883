/* kefu web chat: history on load, a WebSocket for live messages, an outbox that survives drops.
 *
 * Server protocol (bot/channels/webchat.py):
 *   GET  chat/history?customer=ID            -> {messages: [{seq, text, buttons, from}]}
 *   WS   chat/ws?customer=ID&after=N
 *        client -> {type: "message", id, text, image?}                (image: a data: URL of a photo)
 *        server -> {type: "message", seq, text, buttons, from}      (bot / agent, after N, then live)
 *                  {type: "ack", id, seq, stage, status, replies}   (a customer message stored + answered)
 *                  {type: "error", id, error}                        (input rejected)
 *                  {type: "error", id, error, reason: "rate_limited", retry_after, reply}
 *                                                                    (sent too fast: not handled; reply is the shop's
 *                                                                     polite line, shown; the text is kept to resend)
 * Message text is only ever inserted with textContent.
 *
 * Photos: the camera button picks one; it is shrunk here (at most MAX_SIDE px on the long side, JPEG) because phone
 * photos are 3–10 MB, shown at once as the customer's own bubble, and sent through the same outbox as text (same
 * client id on a resend, so it is stored once). A reload shows the stored "[图片]" text instead.
 */
(function () {
  "use strict";

  var MAX_TEXT = 4096;
  var MAX_IMAGE_BYTES = 5 * 1024 * 1024;  // the server's default KEFU_MAX_IMAGE_BYTES (it checks again)
  var MAX_SIDE = 1600;                    // px on the long side, after shrinking
  var JPEG_QUALITIES = [0.85, 0.7, 0.5];  // the next one only if a photo is still too large
  var BACKOFF_FIRST_MS = 500;
  var BACKOFF_MAX_MS = 10000;
  var CONNECT_TIMEOUT_MS = 8000;
  var REPLY_WAIT_MS = 8000;
  var STATUS_TEXT = { connecting: "连接中…", online: "在线", offline: "已断开，正在重连…" };

  var $ = function (id) { return document.getElementById(id); };
  var log = $("log");
  var scroller = $("scroller");
  var typing = $("typing");
  var hint = $("hint");
  var input = $("input");
  var notice = $("notice");
  var photoButton = $("photo");
  var photoInput = $("photo-input");

  // ------------------------------------------------------------------ storage and ids

  var store = (function () {
    try {
      var probe = "kefu.probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      var memory = {};  // private mode without storage: the chat works, a reload starts afresh
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; },
      };
    }
  })();

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // also on plain http, where randomUUID is missing
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var CUSTOMER_KEY = "kefu.customer";
  var customer = store.getItem(CUSTOMER_KEY);
  if (!customer || !/^[A-Za-z0-9_-]{8,64}$/.test(customer)) {
    customer = "w-" + uuid();
    store.setItem(CUSTOMER_KEY, customer);
  }
  var OUTBOX_KEY = "kefu.outbox." + customer;

  // ------------------------------------------------------------------ state

  var drawn = new Map();      // seq -> element, for everything drawn (both ways)
  var pending = new Map();    // client id -> element of a customer message not yet acked
  var outbox = loadOutbox();  // [{id, text, image?}] not yet acked, in the order sent; survives a reload
  var awaiting = new Set();   // reply seqs announced by an ack but not drawn yet
  var lastSeq = 0;            // highest seq of a bot/agent message drawn: the socket's ?after=
  var historyLoaded = false;
  var socket = null;
  var state = "connecting";
  var attempts = 0;
  var retryTimer = null;
  var connectTimer = null;
  var repliesTimer = null;

  function loadOutbox() {
    try {
      var items = JSON.parse(store.getItem(OUTBOX_KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (m) {
        return m && typeof m.id === "string" && typeof m.text === "string" &&
          (m.image === undefined || (typeof m.image === "string" && m.image.indexOf("data:image/") === 0));
      }) : [];
    } catch (e) {
      return [];
    }
  }

  function saveOutbox() {
    if (!outbox.length) { store.removeItem(OUTBOX_KEY); return; }
    try {
      store.setItem(OUTBOX_KEY, JSON.stringify(outbox));
    } catch (e) {
      // Storage full (photos are large): keep the texts for a reload; photos stay queued in this page only.
      try {
        store.setItem(OUTBOX_KEY, JSON.stringify(outbox.filter(function (m) { return !m.image; })));
      } catch (again) { /* nothing more to keep */ }
    }
  }

  // ------------------------------------------------------------------ drawing

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  /** Keep the newest message in view, unless the customer scrolled up to read older ones. */
  function afterDraw(stick) {
    refreshChoices();
    refreshTyping();
    refreshHint();
    if (stick) scrollToEnd();
  }

  /** A message bubble; ``image`` (a data: URL) makes it a photo bubble, otherwise it shows ``text``. */
  function bubble(from, text, image) {
    var el = document.createElement("div");
    var kind = from === "customer" ? "customer" : from === "agent" ? "agent" : "bot";
    el.className = "msg msg--" + kind;
    el.dataset.from = kind;
    if (kind === "agent") {
      var who = document.createElement("div");
      who.className = "msg__who";
      who.textContent = "人工客服";
      el.appendChild(who);
    }
    var body = document.createElement("div");
    body.className = "bubble";
    if (image) {
      body.classList.add("bubble--photo");
      var img = document.createElement("img");
      img.className = "photo";
      img.alt = "我发送的图片";
      img.addEventListener("load", function () { if (pinned) scrollToEnd(); });  // it grows once decoded
      img.src = image;
      body.appendChild(img);
    } else {
      body.textContent = text;
    }
    el.appendChild(body);
    return el;
  }

  /** Place an element with a seq in seq order; pending (seq-less) customer messages stay last, and a refused
   *  one stays where it was (just after the seq in its data-after). */
  function placeBySeq(el, seq) {
    el.dataset.seq = String(seq);
    var children = log.children;
    for (var i = 0; i < children.length; i++) {
      var other = children[i];
      if (other === el) continue;
      var s = other.dataset.seq;
      if (s === undefined && other.dataset.after !== undefined && Number(other.dataset.after) < seq) continue;
      if (s === undefined || Number(s) > seq) {
        log.insertBefore(el, other);
        return;
      }
    }
    log.appendChild(el);
  }

  /** Draw one message of the conversation (history or socket); a seq already drawn is skipped. */
  function drawMessage(m) {
    if (typeof m.seq !== "number" || drawn.has(m.seq)) return false;
    var el = bubble(m.from, String(m.text == null ? "" : m.text));
    el._buttons = Array.isArray(m.buttons) ? m.buttons.filter(function (b) { return typeof b === "string" && b; }) : [];
    drawn.set(m.seq, el);
    placeBySeq(el, m.seq);
    if (m.from !== "customer") {
      lastSeq = Math.max(lastSeq, m.seq);
      awaiting.delete(m.seq);
    }
    return true;
  }

  /** Quick choices: under the newest bot/agent message that has some, if the customer has not spoken since. */
  function refreshChoices() {
    var old = log.querySelectorAll(".choices");
    for (var i = 0; i < old.length; i++) old[i].remove();
    var target = null;
    for (var el = log.lastElementChild; el; el = el.previousElementSibling) {
      if (el.dataset.from === "customer") break;
      if (el._buttons && el._buttons.length) { target = el; break; }
    }
    if (!target) return;
    var box = document.createElement("div");
    box.className = "choices";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "快捷回复");
    target._buttons.forEach(function (label) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.textContent = label;
      b.addEventListener("click", function () { send(label); });
      box.appendChild(b);
    });
    target.appendChild(box);
  }

  function refreshTyping() {
    var waiting = awaiting.size > 0 || (state === "online" && outbox.length > 0);
    typing.hidden = !waiting;
  }

  function refreshHint() {
    hint.hidden = !historyLoaded || log.children.length > 0;
  }

  function setPendingLabel(el, text, retry) {
    var label = el.querySelector(".msg__state");
    if (!label) {
      label = document.createElement("div");
      label.className = "msg__state";
      el.appendChild(label);
    }
    label.textContent = text;
    if (retry) {
      var again = document.createElement("button");
      again.type = "button";
      again.className = "msg__retry";
      again.textContent = "重发";
      again.addEventListener("click", retry);
      label.appendChild(again);
    }
  }

  function refreshPendingLabels() {
    pending.forEach(function (el) {
      if (!el.classList.contains("msg--failed")) {
        setPendingLabel(el, state === "online" ? "发送中…" : "等待网络，恢复后自动发送");
      }
    });
  }

  function setStatus(next) {
    state = next;
    var box = $("status");
    box.dataset.state = next;
    $("status-text").textContent = STATUS_TEXT[next];
    refreshPendingLabels();
    refreshTyping();
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  // ------------------------------------------------------------------ sending

  function charCount(text) {
    return Array.from(text).length;  // code points, as the server counts them
  }

  /** Send a customer message: drawn at once (pending), delivered now or when the connection is back. */
  function send(text) {
    if (!text.trim()) return false;
    var n = charCount(text);
    if (n > MAX_TEXT) {
      showNotice("消息太长啦：最多 " + MAX_TEXT + " 个字，现在有 " + n + " 个字。请删减一些或分几条发送哦～");
      return false;
    }
    showNotice("");
    return enqueue({ id: "m-" + uuid(), text: text });
  }

  // One message (text or photo) into the outbox: kept for a reload, drawn as pending, sent.
  function enqueue(item) {
    outbox.push(item);
    saveOutbox();
    drawPending(item);
    transmit(item);
    afterDraw(true);
    return true;
  }

  function drawPending(item) {
    var el = bubble("customer", item.text, item.image);
    el.classList.add("msg--pending");
    el.dataset.id = item.id;
    pending.set(item.id, el);
    log.appendChild(el);
    setPendingLabel(el, state === "online" ? "发送中…" : "等待网络，恢复后自动发送");
  }

  function transmit(item) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      var frame = { type: "message", id: item.id, text: item.text };
      if (item.image) frame.image = item.image;
      socket.send(JSON.stringify(frame));
    }
  }

  function flushOutbox() {
    outbox.forEach(transmit);
  }

  function onAck(frame) {
    var id = frame.id;
    outbox = outbox.filter(function (m) { return m.id !== id; });
    saveOutbox();
    var el = pending.get(id);
    pending.delete(id);
    if (el && typeof frame.seq === "number") {
      if (drawn.has(frame.seq)) {
        el.remove();  // already drawn from the history (acked before a reload): keep one
      } else {
        el.classList.remove("msg--pending");
        var label = el.querySelector(".msg__state");
        if (label) label.remove();
        drawn.set(frame.seq, el);
        placeBySeq(el, frame.seq);
      }
    }
    (frame.replies || []).forEach(function (seq) {
      if (!drawn.has(seq)) awaiting.add(seq);
    });
    if (awaiting.size) watchReplies();
    afterDraw(nearBottom());
  }

  /** Replies announced by an ack should follow at once; if they don't, reconnect to catch up by seq. */
  function watchReplies() {
    clearTimeout(repliesTimer);
    repliesTimer = setTimeout(function () {
      if (awaiting.size && socket && socket.readyState === WebSocket.OPEN) socket.close();
    }, REPLY_WAIT_MS);
  }

  /** What to tell the customer about a photo the server refused: [label under it, notice, may retry]. */
  function photoFailure(error) {
    var size = /larger than ([\d.]+) MB/.exec(error);
    if (size || error === "too_big" || error === "frame_too_big") {
      var limit = size ? Number(size[1]) : error === "too_big" ? MAX_IMAGE_BYTES / 1024 / 1024 : null;
      var shown = limit === null ? ""
        : "（最大 " + (limit >= 1 ? Math.round(limit * 10) / 10 + " MB" : Math.max(1, Math.round(limit * 1024)) + " KB") + "）";
      return ["图片太大，没有发出", "这张图片太大了" + shown + "，没有发出。请换一张小一点的图片，或截图后再发。", false];
    }
    if (/JPEG|base64|image/.test(error)) {
      return ["不是可识别的图片，没有发出",
        "这个文件不是可以识别的图片，没有发出。请发送 JPG、PNG、GIF 或 WebP 格式的照片。", false];
    }
    return ["图片发送失败", "图片没有发出去，请点「重发」再试一次。", true];
  }

  function onError(frame) {
    if (frame.reason === "rate_limited") {
      slowDown(frame.id, String(frame.reply || ""), Number(frame.retry_after) || 1);
      return;
    }
    fail(frame.id, String(frame.error || ""));
  }

  /** Sent too fast: the message was not handled. Say so politely, keep its text with 重发, and resend it by itself
   * once the wait is over (the customer may tap 重发 before). */
  function slowDown(id, reply, seconds) {
    var el = id ? pending.get(id) : null;
    var item = null;
    outbox.forEach(function (m) { if (m.id === id) item = m; });
    if (!el || !item) return;
    fail(id, "rate_limited");
    showNotice(reply);
    var retry = retryLater(el, item);
    var done = false;
    var again = function () {
      if (done || !el.classList.contains("msg--failed")) return;
      done = true;
      showNotice("");
      retry();
    };
    setPendingLabel(el, "发得太快，没有发出", again);
    setTimeout(again, Math.max(1, seconds) * 1000);
  }

  /** A message the server refused (or could not take): marked failed, with a retry where one can help. */
  function fail(id, error) {
    var el = id ? pending.get(id) : null;
    if (!el) return;
    var item = null;
    outbox = outbox.filter(function (m) {
      if (m.id === id) { item = m; return false; }
      return true;
    });
    saveOutbox();
    el.classList.remove("msg--pending");
    el.classList.add("msg--failed");
    var before = 0;
    drawn.forEach(function (_, seq) { before = Math.max(before, seq); });
    el.dataset.after = String(before);  // later messages are drawn below it, not above
    if (item && item.image) {
      var failure = photoFailure(error);
      showNotice(failure[1]);
      setPendingLabel(el, failure[0], failure[2] ? retryLater(el, item) : null);
      refreshTyping();
      return;
    }
    var tooLong = /4096|longer/.test(error);
    setPendingLabel(el, tooLong ? "消息太长，没有发出" : "发送失败", tooLong || !item ? null : retryLater(el, item));
    refreshTyping();
  }

  function retryLater(el, item) {
    return function () {
      el.classList.remove("msg--failed");
      el.classList.add("msg--pending");
      delete el.dataset.after;
      log.appendChild(el);  // pending again: last, until it is answered
      outbox.push(item);
      saveOutbox();
      setPendingLabel(el, state === "online" ? "发送中…" : "等待网络，恢复后自动发送");
      if (item.image) showNotice("");
      transmit(item);
      refreshTyping();
    };
  }

  // ------------------------------------------------------------------ connection

  function socketUrl() {
    var url = new URL("chat/ws", document.baseURI);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("customer", customer);
    url.searchParams.set("after", String(lastSeq));
    return url.toString();
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * Math.pow(2, attempts));
    attempts += 1;
    retryTimer = setTimeout(start, delay);
  }

  function loadHistory() {
    var url = new URL("chat/history", document.baseURI);
    url.searchParams.set("customer", customer);
    return fetch(url.toString(), { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("history " + response.status);
      return response.json();
    }).then(function (body) {
      (body.messages || []).forEach(drawMessage);
      historyLoaded = true;
      $("loading").remove();
      outbox.forEach(function (item) { if (!pending.has(item.id)) drawPending(item); });
      afterDraw(true);
    });
  }

  /** Load the history once, then (re)open the socket; any failure retries with backoff. */
  function start() {
    clearTimeout(retryTimer);
    if (socket) return;
    if (!historyLoaded) {
      loadHistory().then(openSocket, function () {
        setStatus("offline");
        scheduleRetry();
      });
      return;
    }
    openSocket();
  }

  function openSocket() {
    if (socket) return;
    var ws = new WebSocket(socketUrl());
    socket = ws;
    clearTimeout(connectTimer);
    connectTimer = setTimeout(function () {
      if (ws.readyState === WebSocket.CONNECTING) ws.close();  // a hung handshake counts as a drop
    }, CONNECT_TIMEOUT_MS);
    ws.onopen = function () {
      clearTimeout(connectTimer);
      attempts = 0;
      setStatus("online");
      flushOutbox();  // unacked messages go (again) with the same id: the server answers each once
      refreshTyping();
    };
    ws.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (!frame || typeof frame !== "object") return;
      if (frame.type === "message") {
        var stick = nearBottom();
        if (drawMessage(frame)) afterDraw(stick);
        else refreshTyping();
      } else if (frame.type === "ack") {
        onAck(frame);
      } else if (frame.type === "error") {
        onError(frame);
      }
    };
    ws.onclose = function (event) {
      clearTimeout(connectTimer);
      if (event.code === 1009) {
        // A frame beyond the server's limit (a photo larger than it allows): resending would only repeat this.
        outbox.filter(function (m) { return m.image; }).forEach(function (m) { fail(m.id, "frame_too_big"); });
      }
      if (socket !== ws) return;
      socket = null;
      setStatus("offline");
      scheduleRetry();
    };
    ws.onerror = function () { /* a close event follows */ };
  }

  /** Back online or back in view: try at once instead of waiting out the backoff. */
  function reconnectNow() {
    if (socket) return;
    attempts = 0;
    start();
  }

  // ------------------------------------------------------------------ photos

  function decodeImage(blob) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(blob);
      var img = new Image();
      img.onload = function () {
        if (img.naturalWidth > 0 && img.naturalHeight > 0) resolve({ img: img, url: url });
        else { URL.revokeObjectURL(url); reject(new Error("not_image")); }
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not_image")); };
      img.src = url;
    });
  }

  function dataUrl(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { reject(reader.error || new Error("read")); };
      reader.readAsDataURL(blob);
    });
  }

  function jpeg(canvas, quality) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("encode")); }, "image/jpeg", quality);
    });
  }

  /** The photo as a data: URL ready to send: a GIF under the limit as it is (it may move), anything else
   *  redrawn at most MAX_SIDE px on its long side as a JPEG (on white: transparency would turn black). */
  function preparePhoto(file) {
    return decodeImage(file).then(function (decoded) {
      if (file.type === "image/gif" && file.size <= MAX_IMAGE_BYTES) {
        URL.revokeObjectURL(decoded.url);
        return dataUrl(file);
      }
      var img = decoded.img;
      var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(decoded.url);
      var attempt = function (i) {
        return jpeg(canvas, JPEG_QUALITIES[i]).then(function (blob) {
          if (blob.size <= MAX_IMAGE_BYTES) return dataUrl(blob);
          if (i + 1 < JPEG_QUALITIES.length) return attempt(i + 1);
          throw new Error("too_big");
        });
      };
      return attempt(0);
    });
  }

  /** Send a photo: shrunk, drawn at once as the customer's own bubble, then delivered like a text message. */
  function sendPhoto(file) {
    if (!file) return Promise.resolve(false);
    if (file.type && !/^image\//.test(file.type)) {
      showNotice("只能发送图片哦：请选择 JPG、PNG、GIF 或 WebP 格式的照片。");
      return Promise.resolve(false);
    }
    photoButton.disabled = true;
    photoButton.setAttribute("aria-busy", "true");
    return preparePhoto(file).then(function (image) {
      showNotice("");
      return enqueue({ id: "m-" + uuid(), text: "", image: image });
    }, function (error) {
      showNotice(error && error.message === "too_big"
        ? photoFailure("too_big")[1]
        : "没能读取这张图片（可能不是图片，或格式不支持）。请发送 JPG、PNG、GIF 或 WebP 格式的照片。");
      return false;
    }).then(function (sent) {
      photoButton.disabled = false;
      photoButton.removeAttribute("aria-busy");
      return sent;
    });
  }

  photoButton.addEventListener("click", function () { photoInput.click(); });
  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0];
    photoInput.value = "";  // the same photo may be picked again
    sendPhoto(file);
  });

  // ------------------------------------------------------------------ input

  function autosize() {
    input.style.height = "";
    if (!input.value) return;  // empty: one line (the placeholder must not size it)
    input.style.height = Math.min(input.scrollHeight + 2, 160) + "px";
  }

  $("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(input.value)) {
      input.value = "";
      autosize();
    }
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition (拼音) does neither.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    $("composer").requestSubmit ? $("composer").requestSubmit() : $("send").click();
  });

  input.addEventListener("input", function () {
    autosize();
    if (!notice.hidden && charCount(input.value) <= MAX_TEXT) showNotice("");
  });

  hint.addEventListener("click", function (event) {
    var chip = event.target.closest("button[data-say]");
    if (chip) send(chip.dataset.say);
  });

  // When the composer grows or a phone keyboard opens, the list gets shorter: keep the newest in view.
  var pinned = true;
  scroller.addEventListener("scroll", function () { pinned = nearBottom(); }, { passive: true });
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (pinned) scrollToEnd(); }).observe(scroller);
  }

  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });

  // Phones have no Shift key to speak of: the keyboard hint is for wide screens only.
  if (window.matchMedia && window.matchMedia("(min-width: 600px) and (pointer: fine)").matches) {
    input.placeholder = "输入消息…（Enter 发送，Shift+Enter 换行）";
  }

  // The shop's name comes from <meta name="kefu-shop">.
  var shopMeta = document.querySelector('meta[name="kefu-shop"]');
  var shop = shopMeta && shopMeta.content.trim();
  if (shop) {
    $("shop-name").textContent = shop;
    document.title = shop + " · 在线客服";
  }

  // A small handle for tests and debugging.
  window.kefuChat = {
    get customer() { return customer; },
    get socket() { return socket; },
    get state() { return state; },
    get lastSeq() { return lastSeq; },
    get outbox() { return outbox.slice(); },
    send: send,
    sendPhoto: sendPhoto,
    reconnect: reconnectNow,
  };

  setStatus("connecting");
  start();
})();
