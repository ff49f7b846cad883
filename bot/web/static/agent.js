/*
 * kefu agents' console (客服工作台): plain JS, no libraries, no external resources.
 *
 *   /agent/ws                              server -> {type: "queue", waiting: [...], mine: [...]} on change
 *   GET  /agent/api/conversations/{id}     the transcript (polled every 2 s while a chat is open)
 *   GET  /agent/api/phrases?conversation=  quick phrases + placeholder values
 *   GET  /agent/api/attachments/{id}       a customer's photo (thumbnails; a click opens it full size)
 *   POST /agent/api/conversations/{id}/take | messages | release | transfer | resolve   (X-CSRF-Token header)
 *
 * Everything from the server or a customer is inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var PICKER_MAX = 8;
  var DISPUTES = { product: "商品问题", logistics: "物流问题", payment: "支付问题", service: "服务问题" };
  var REASONS = { dispute: "纠纷投诉", human: "顾客要求人工", unsure: "机器人没听懂" };
  var CHANNELS = { web: "网页聊天", rest: "接口 (REST)" };
  var WHO = { customer: "顾客", bot: "机器人", agent: "人工客服" };
  var EMOTIONS = { calm: "平静", upset: "不满", angry: "生气", furious: "非常愤怒" };
  var SIGNALS = {
    insult: "辱骂", angry_words: "愤怒用语", threat: "投诉/曝光", exclamations: "感叹号", questions: "质问",
    ellipsis: "省略号", urgency: "催促", repeated: "反复诉说", all_caps: "大写字母"
  };
  var INTAKE = { listening: "信息收集中", done: "已记录" };

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") || "" : "";
  }

  var csrf = meta("csrf-token");
  var me = meta("kefu-agent");
  var $ = function (id) { return document.getElementById(id); };
  var els = {
    link: $("link"), linkText: $("link-text"),
    waiting: $("waiting"), mine: $("mine"), waitingCount: $("waiting-count"), mineCount: $("mine-count"),
    waitingEmpty: $("waiting-empty"), mineEmpty: $("mine-empty"),
    placeholder: $("placeholder"), detail: $("detail"),
    customer: $("summary-customer"), state: $("summary-state"), channel: $("summary-channel"),
    reason: $("summary-reason"), dispute: $("summary-dispute"), opening: $("summary-opening"),
    record: $("summary-record"), problem: $("summary-problem"), order: $("summary-order"), facts: $("summary-facts"),
    emotion: $("summary-emotion"), emotionScore: $("summary-emotion-score"), expectation: $("summary-expectation"),
    evidence: $("summary-evidence"), intake: $("summary-intake"),
    take: $("take"), release: $("release"), transferName: $("transfer-name"), transfer: $("transfer"),
    resolve: $("resolve"), resolveForm: $("resolve-form"), remedy: $("resolve-remedy"), amount: $("resolve-amount"),
    note: $("resolve-note"), resolveCancel: $("resolve-cancel"),
    transcript: $("transcript"), composer: $("composer"), notice: $("notice"), picker: $("picker"),
    input: $("input"), send: $("send")
  };

  var selected = null;        // id of the open chat
  var current = null;         // its last transcript
  var drawnSeqs = new Set();  // seqs drawn in the transcript
  var phrases = [];           // [{key, title, shortcut, variants}]
  var values = {};            // placeholder values for the open chat
  var lastQueue = { waiting: [], mine: [] };
  var loading = false;
  var picker = { open: false, items: [], index: 0, start: 0, end: 0 };
  var drawnRecord = { facts: null, evidence: null };  // what the summary card lists now (redrawn on change only)

  // ------------------------------------------------------------------ helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function waited(seconds) {
    if (typeof seconds !== "number") return "";
    if (seconds < 60) return "等待 " + seconds + " 秒";
    if (seconds < 3600) return "等待 " + Math.floor(seconds / 60) + " 分钟";
    return "等待 " + Math.floor(seconds / 3600) + " 小时 " + Math.floor((seconds % 3600) / 60) + " 分";
  }

  /** A coloured badge for how upset the customer sounds: {level, label} from the dispute record. */
  function emotionBadge(emotion, className) {
    var level = emotion && EMOTIONS[emotion.level] ? emotion.level : "unknown";
    var badge = el("span", (className || "badge") + " emotion emotion--" + level,
      (emotion && (emotion.label || EMOTIONS[emotion.level])) || "—");
    badge.dataset.level = level;
    return badge;
  }

  function photoUrl(id) {
    return "/agent/api/attachments/" + encodeURIComponent(String(id));
  }

  /** A photo's thumbnail, linked to the full-size photo in a new tab. */
  function thumbnail(id, label) {
    var link = el("a", "thumb");
    link.href = photoUrl(id);
    link.target = "_blank";
    link.rel = "noopener";
    link.title = "点击查看原图";
    var img = el("img");
    img.src = photoUrl(id);
    img.alt = label;
    img.loading = "lazy";
    link.appendChild(img);
    return link;
  }

  function customerLabel(c) {
    if (!c) return "";
    if (c.name) return c.name;
    return (CHANNELS[c.channel] ? "访客" : c.channel) + " " + String(c.id || "").slice(-6);
  }

  function notice(text, ok) {
    els.notice.textContent = text || "";
    els.notice.classList.toggle("ok", !!ok);
    els.notice.hidden = !text;
  }

  function api(method, path, body) {
    var init = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRF-Token"] = csrf;
      init.body = JSON.stringify(body || {});
    }
    return fetch(path, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return { status: response.redirected ? 401 : response.status, body: { error: "登录已失效，请刷新页面重新登录" } };
      }
      return response.json().then(function (data) { return { status: response.status, body: data }; });
    });
  }

  // ------------------------------------------------------------------ the queue

  function queueItem(item) {
    var li = el("li");
    var button = el("button", "item" + (item.flagged ? " flagged" : ""));
    button.type = "button";
    button.dataset.id = String(item.id);
    if (item.id === selected) button.setAttribute("aria-current", "true");
    var row = el("div", "item__row");
    row.appendChild(el("span", "item__name", customerLabel(item.customer)));
    if (item.flagged) {
      var flag = el("span", "flag", "超时未回复");
      flag.title = "顾客已等待 " + item.unanswered_seconds + " 秒未得到回复";
      row.appendChild(flag);
    }
    row.appendChild(el("span", "item__wait", waited(item.waited_seconds)));
    button.appendChild(row);
    var tags = el("div", "item__row item__tags");
    if (item.dispute_type) tags.appendChild(el("span", "tag dispute", DISPUTES[item.dispute_type] || item.dispute_type));
    if (item.emotion) {
      var mood = emotionBadge(item.emotion, "tag");
      mood.title = "顾客情绪：" + mood.textContent;
      tags.appendChild(mood);
    }
    if (item.evidence_count) {
      var photos = el("span", "tag photos", "照片 " + item.evidence_count);
      photos.title = "顾客发来 " + item.evidence_count + " 张凭证照片";
      tags.appendChild(photos);
    }
    if (item.escalation_reason) tags.appendChild(el("span", "tag", REASONS[item.escalation_reason] || item.escalation_reason));
    tags.appendChild(el("span", "tag", CHANNELS[item.customer && item.customer.channel] || (item.customer && item.customer.channel)));
    button.appendChild(tags);
    if (item.last_message) button.appendChild(el("div", "item__last", (WHO[item.last_from] || "") + "：" + item.last_message));
    button.addEventListener("click", function () { select(item.id); });
    li.appendChild(button);
    return li;
  }

  function drawQueue(queue) {
    lastQueue = queue;
    [["waiting", els.waiting, els.waitingCount, els.waitingEmpty], ["mine", els.mine, els.mineCount, els.mineEmpty]]
      .forEach(function (part) {
        var items = Array.isArray(queue[part[0]]) ? queue[part[0]] : [];
        part[1].replaceChildren.apply(part[1], items.map(queueItem));
        part[2].textContent = String(items.length);
        part[2].classList.toggle("busy", items.length > 0);
        part[3].hidden = items.length > 0;
      });
  }

  var socket = null;
  var retry = 0;

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/agent/ws");
    els.link.dataset.state = "connecting";
    els.linkText.textContent = "连接中…";
    socket.addEventListener("open", function () {
      retry = 0;
      els.link.dataset.state = "online";
      els.linkText.textContent = "队列实时更新中";
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data && data.type === "queue") drawQueue(data);
    });
    socket.addEventListener("close", function () {
      els.link.dataset.state = "offline";
      els.linkText.textContent = "连接已断开，正在重连…";
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 500 * retry * retry);
    });
  }

  function refreshQueue() {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send("refresh");
  }

  // ------------------------------------------------------------------ the open chat

  function select(id) {
    if (selected !== id) {
      selected = id;
      current = null;
      drawnSeqs = new Set();
      els.transcript.replaceChildren();
      drawnRecord = { facts: null, evidence: null };
      els.input.value = "";
      closePicker();
      notice("");
      values = {};
      loadPhrases(id);
    }
    els.placeholder.hidden = true;
    els.detail.hidden = false;
    drawQueue(lastQueue);
    load();
  }

  function loadPhrases(id) {
    api("GET", "/agent/api/phrases?conversation=" + encodeURIComponent(id)).then(function (r) {
      if (r.status !== 200 || selected !== id) return;
      phrases = Array.isArray(r.body.phrases) ? r.body.phrases : [];
      values = r.body.values || {};
    }).catch(function () {});
  }

  function load() {
    if (selected === null || loading) return;
    var id = selected;
    loading = true;
    api("GET", "/agent/api/conversations/" + id).then(function (r) {
      if (selected !== id) return;
      if (r.status !== 200) { notice(r.body.error || "会话读取失败"); return; }
      drawChat(r.body);
    }).catch(function () {
      notice("网络异常，正在重试…");
    }).then(function () { loading = false; });
  }

  function holdsIt(chat) { return chat.status === "agent" && chat.holder === me; }

  function drawChat(chat) {
    current = chat;
    els.customer.textContent = customerLabel(chat.customer);
    els.channel.textContent = (CHANNELS[chat.customer.channel] || chat.customer.channel) + " · " + chat.customer.id;
    els.reason.textContent = chat.escalation_reason ? (REASONS[chat.escalation_reason] || chat.escalation_reason) : "—";
    var dispute = chat.disputes && chat.disputes.length ? chat.disputes[chat.disputes.length - 1] : null;
    els.dispute.textContent = dispute ? (DISPUTES[dispute.type] || dispute.type) : "—";
    els.opening.textContent = dispute && dispute.opening_message ? dispute.opening_message : "—";
    drawRecord(dispute);
    var state;
    if (chat.status === "waiting_agent") state = "等待接入";
    else if (chat.status === "agent") state = chat.holder === me ? "我正在处理" : "已被 " + chat.holder + " 接入";
    else state = "机器人处理中";
    els.state.textContent = state;
    var mine = holdsIt(chat);
    els.take.disabled = chat.status !== "waiting_agent";
    els.release.disabled = !mine;
    els.transfer.disabled = !mine;
    els.transferName.disabled = !mine;
    els.resolve.disabled = !mine;
    if (!mine) els.resolveForm.hidden = true;
    els.send.disabled = !mine;
    els.input.placeholder = mine
      ? "输入回复，输入 / 加快捷码插入快捷短语（如 /bq），Enter 发送，Shift+Enter 换行"
      : "接入后才能回复顾客";

    var stick = els.transcript.scrollHeight - els.transcript.scrollTop - els.transcript.clientHeight < 80;
    (chat.messages || []).forEach(function (m) {
      if (typeof m.seq !== "number" || drawnSeqs.has(m.seq + ":" + m.from)) return;
      drawnSeqs.add(m.seq + ":" + m.from);
      els.transcript.appendChild(message(m));
      stick = true;
    });
    if (stick) els.transcript.scrollTop = els.transcript.scrollHeight;
  }

  /** The latest dispute's record: what went wrong, the order, the customer's own words, their mood, what they
   *  want, the photos, and whether the bot is still asking. Everything as text; photos by id from our API. */
  function drawRecord(dispute) {
    els.record.hidden = !dispute;
    if (!dispute) return;
    var details = dispute.details && typeof dispute.details === "object" ? dispute.details : {};
    els.problem.textContent = dispute.subtype_label || "—";
    els.order.textContent = dispute.order_no || "—";

    var facts = Array.isArray(details.facts) ? details.facts : [];
    var factsKey = JSON.stringify(facts);
    if (factsKey !== drawnRecord.facts) {
      drawnRecord.facts = factsKey;
      els.facts.replaceChildren.apply(els.facts, facts.map(function (fact) {
        var text = fact && typeof fact === "object" ? fact.text : fact;
        var li = el("li", "statement", text == null ? "" : String(text));
        var when = fact && fact.at ? new Date(fact.at) : null;
        if (when && !isNaN(when)) li.title = when.toLocaleString("zh-CN");
        return li;
      }));
      if (!facts.length) els.facts.appendChild(el("li", "statement empty-line", "—"));
    }

    var emotion = details.emotion && typeof details.emotion === "object" ? details.emotion : null;
    var badge = emotionBadge(emotion);
    els.emotion.className = badge.className;
    els.emotion.dataset.level = badge.dataset.level;
    els.emotion.textContent = badge.textContent;
    var signals = emotion && Array.isArray(emotion.signals) ? emotion.signals : [];
    els.emotion.title = signals.length
      ? "依据：" + signals.map(function (s) { return SIGNALS[s] || String(s); }).join("、") : "";
    els.emotionScore.textContent = emotion && typeof emotion.score === "number" ? "评分 " + emotion.score + "/10" : "";

    els.expectation.textContent = dispute.expectation_label || "—";

    var evidence = Array.isArray(dispute.evidence) ? dispute.evidence : [];
    var evidenceKey = evidence.join(",");
    if (evidenceKey !== drawnRecord.evidence) {
      drawnRecord.evidence = evidenceKey;
      els.evidence.replaceChildren.apply(els.evidence, evidence.map(function (id, i) {
        return thumbnail(id, "凭证照片 " + (i + 1));
      }));
      if (!evidence.length) els.evidence.appendChild(el("span", "none", "暂无照片"));
    }

    var intake;
    if (dispute.status === "resolved") intake = "已解决";
    else intake = INTAKE[details.intake] || (details.intake ? String(details.intake) : "—");
    els.intake.textContent = intake;
    els.intake.dataset.state = dispute.status === "resolved" ? "resolved" : String(details.intake || "");
  }

  function message(m) {
    var from = WHO[m.from] ? m.from : "bot";
    var box = el("div", "msg");
    box.dataset.from = from;
    box.dataset.seq = String(m.seq);
    var when = m.at ? new Date(m.at) : null;
    var time = when && !isNaN(when) ? " · " + when.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" }) : "";
    box.appendChild(el("div", "msg__who", WHO[from] + time));
    box.appendChild(el("div", "bubble", m.text == null ? "" : m.text));
    if (Array.isArray(m.attachments) && m.attachments.length) {
      var photos = el("div", "thumbs");
      m.attachments.forEach(function (id, i) { photos.appendChild(thumbnail(id, "顾客发送的图片 " + (i + 1))); });
      box.appendChild(photos);
    }
    if (from === "customer" && m.intent) {
      var confidence = typeof m.confidence === "number" ? m.confidence : null;
      var line = el("div", "intent" + (confidence !== null && confidence < 0.5 ? " low" : ""),
        "意图：" + m.intent + (confidence !== null ? " · 置信度 " + confidence.toFixed(2) : ""));
      box.appendChild(line);
    }
    if (Array.isArray(m.buttons) && m.buttons.length) box.appendChild(el("div", "buttons", "按钮：" + m.buttons.join(" / ")));
    return box;
  }

  function act(path, body, done) {
    if (selected === null) return Promise.resolve();
    var id = selected;
    return api("POST", "/agent/api/conversations/" + id + "/" + path, body).then(function (r) {
      if (r.status === 200) {
        notice("");
        if (done) done(r.body);
      } else if (r.status === 409 && r.body.holder) {
        notice("已被 " + r.body.holder + " 接入");
      } else {
        notice(r.body.error || "操作失败（" + r.status + "）");
      }
      refreshQueue();
      load();
    }).catch(function () { notice("网络异常，请重试"); });
  }

  els.take.addEventListener("click", function () { act("take"); });
  els.release.addEventListener("click", function () {
    act("release", {}, function () { notice("已交还机器人", true); });
  });
  els.transfer.addEventListener("click", function () {
    var to = els.transferName.value.trim();
    if (!to) { notice("请填写要转接的客服账号名"); els.transferName.focus(); return; }
    act("transfer", { to: to }, function (body) { els.transferName.value = ""; notice("已转接给 " + body.holder, true); });
  });

  var NEEDS_AMOUNT = { refund: true, partial_refund_gift: true };
  els.resolve.addEventListener("click", function () {
    els.resolveForm.hidden = !els.resolveForm.hidden;
    if (!els.resolveForm.hidden) els.remedy.focus();
  });
  els.resolveCancel.addEventListener("click", function () { els.resolveForm.hidden = true; });
  els.resolveForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var remedy = els.remedy.value;
    var raw = els.amount.value.trim();
    if (!raw && NEEDS_AMOUNT[remedy]) { notice("这个方案需要填写金额"); els.amount.focus(); return; }
    var amount = raw ? Number(raw) : null;
    if (raw && (!isFinite(amount) || amount < 0)) { notice("金额要是不小于 0 的数字"); els.amount.focus(); return; }
    act("resolve", { remedy: remedy, amount: amount, note: els.note.value.trim() }, function () {
      els.resolveForm.hidden = true;
      els.amount.value = "";
      els.note.value = "";
      notice("已解决，会话已交还机器人，稍后自动回访", true);
    });
  });

  function send() {
    var text = els.input.value.trim();
    if (!text || els.send.disabled) return;
    els.send.disabled = true;
    act("messages", { text: text }, function () { els.input.value = ""; }).then(function () {
      els.send.disabled = !(current && holdsIt(current));
    });
  }

  els.composer.addEventListener("submit", function (event) { event.preventDefault(); send(); });

  // ------------------------------------------------------------------ quick phrases: "/" + shortcut

  function fill(template) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) && values[name] !== "" ? String(values[name]) : whole;
    });
  }

  /** The "/query" just before the caret, if any: {start, end, query}. */
  function slashQuery() {
    var caret = els.input.selectionStart;
    var before = els.input.value.slice(0, caret);
    var match = /(^|\s)\/([^\s\/]*)$/.exec(before);
    if (!match) return null;
    return { start: caret - match[2].length - 1, end: caret, query: match[2].toLowerCase() };
  }

  function matches(query) {
    var scored = [];
    phrases.forEach(function (p) {
      var shortcut = String(p.shortcut || "").toLowerCase();
      var title = String(p.title || "");
      var score = -1;
      if (!query) score = 3;
      else if (shortcut === query) score = 0;
      else if (shortcut.indexOf(query) === 0) score = 1;
      else if (title.indexOf(query) !== -1 || String(p.key).indexOf(query) !== -1) score = 2;
      if (score >= 0) scored.push({ score: score, phrase: p });
    });
    scored.sort(function (a, b) { return a.score - b.score; });
    return scored.slice(0, PICKER_MAX).map(function (s) { return s.phrase; });
  }

  function closePicker() {
    picker.open = false;
    els.picker.hidden = true;
    els.picker.replaceChildren();
  }

  function drawPicker() {
    els.picker.replaceChildren.apply(els.picker, picker.items.map(function (p, i) {
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === picker.index ? "true" : "false");
      li.dataset.shortcut = p.shortcut;
      li.appendChild(el("span", "code", "/" + p.shortcut));
      li.appendChild(el("span", "title", p.title));
      li.appendChild(el("span", "text", fill(p.variants[0] || "")));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); insert(p); });
      return li;
    }));
    var chosen = els.picker.children[picker.index];
    if (chosen && chosen.scrollIntoView) chosen.scrollIntoView({ block: "nearest" });
  }

  function updatePicker() {
    var q = slashQuery();
    if (!q || !phrases.length) { closePicker(); return; }
    picker.items = matches(q.query);
    if (!picker.items.length) { closePicker(); return; }
    picker.open = true;
    picker.index = 0;
    picker.start = q.start;
    picker.end = q.end;
    els.picker.hidden = false;
    drawPicker();
  }

  function insert(p) {
    var text = fill(p.variants[0] || "");
    var value = els.input.value;
    els.input.value = value.slice(0, picker.start) + text + value.slice(picker.end);
    closePicker();
    els.input.focus();
    // Put the caret on the first placeholder still unknown, so the agent types over it.
    var gap = /\{\w+\}/.exec(text);
    var from = picker.start + (gap ? gap.index : text.length);
    els.input.setSelectionRange(from, gap ? from + gap[0].length : from);
  }

  els.input.addEventListener("input", updatePicker);
  els.input.addEventListener("blur", function () { setTimeout(closePicker, 150); });
  els.input.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) return;
    if (picker.open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var n = picker.items.length;
        picker.index = (picker.index + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
        drawPicker();
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        insert(picker.items[picker.index]);
        return;
      }
      if (event.key === "Escape") { event.preventDefault(); closePicker(); return; }
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });

  setInterval(load, POLL_MS);
  connect();
  window.kefuConsole = { select: function (id) { select(Number(id)); } };
})();
