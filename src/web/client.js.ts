/**
 * The page's only script, served at /assets/app.js. Progressive enhancement: without it the form
 * posts and the server renders the result; with it the page stays put, counts words live, picks
 * random questions and streams the feedback in over SSE. Text from users and the model is only ever
 * set with textContent; finished results are server-rendered (escaped) HTML.
 * Written as plain ES2020 in a raw string (no backticks or template placeholders inside).
 */
export const APP_JS = String.raw`(function () {
  "use strict";
  var EDGE = /^['"‘’‚‛“”„‟«»‹›()\[\]{}<>.,;:!?…‐‑‒–—―\-]+|['"‘’‚‛“”„‟«»‹›()\[\]{}<>.,;:!?…‐‑‒–—―\-]+$/gu;
  var WORDISH = /[\p{L}\p{N}]/u;

  /** Word count by the contract's rules: whitespace tokens, edge punctuation stripped, a letter or digit. */
  function countWords(text) {
    var n = 0;
    var raw = text.split(/\s+/u);
    for (var i = 0; i < raw.length; i++) {
      var t = raw[i].replace(EDGE, "");
      if (t && WORDISH.test(t)) n++;
    }
    return n;
  }
  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var r = s % 60;
    return Math.floor(s / 60) + ":" + (r < 10 ? "0" : "") + r;
  }
  window.starcoach = { countWords: countWords, clock: clock };
  if (typeof document === "undefined" || !document.getElementById) return;

  var $ = function (id) { return document.getElementById(id); };
  var form = $("grade-form");
  if (!form) return;
  var principle = $("principle"), question = $("question"), answer = $("answer");
  var bank = $("question-bank"), errorBox = $("form-error"), submit = $("submit"), status = $("submit-status");
  var wpm = Number(form.dataset.wpm) || 150, minS = Number(form.dataset.minSeconds) || 60, maxS = Number(form.dataset.maxSeconds) || 120;
  var PARTS = ["situation", "task", "action", "result"];
  var LABEL = { situation: "Situation", task: "Task", action: "Action", result: "Result" };
  var LETTER = { situation: "S", task: "T", action: "A", result: "R" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // Live length against the target.
  function updateLive() {
    var words = countWords(answer.value);
    var secs = Math.round(words / wpm * 60);
    var verdict = secs < minS ? "too_short" : secs > maxS ? "too_long" : "ok";
    var note = verdict === "ok" ? "within the " + clock(minS) + "–" + clock(maxS) + " target" : verdict === "too_long" ? "over the " + clock(maxS) + " target: cut" : "aim for " + clock(minS) + "–" + clock(maxS);
    $("live-words").textContent = words + (words === 1 ? " word" : " words") + " · about " + clock(secs) + " spoken · " + note;
    $("live-fill").style.width = Math.min(100, secs / (maxS * 1.5) * 100) + "%";
    $("answer-stats").className = "live verdict-" + verdict;
  }
  answer.addEventListener("input", updateLive);
  updateLive();

  // Question bank for the chosen principle.
  var questions = Array.prototype.map.call(bank.options, function (o) { return o.value; });
  function setQuestions(list) {
    questions = list;
    bank.replaceChildren.apply(bank, list.map(function (q) { var o = document.createElement("option"); o.value = q; return o; }));
    $("bank-count").textContent = String(list.length);
  }
  principle.addEventListener("change", function () {
    var opt = principle.options[principle.selectedIndex];
    $("principle-summary").textContent = opt ? opt.dataset.summary || "" : "";
    fetch("/v1/questions?principle=" + encodeURIComponent(principle.value))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) { setQuestions(list.map(function (q) { return q.text; })); })
      .catch(function () {});
  });
  $("random-question").addEventListener("click", function (ev) {
    if (!questions.length) return; // fall back to the server round trip
    ev.preventDefault();
    var pool = questions.length > 1 ? questions.filter(function (q) { return q !== question.value; }) : questions;
    question.value = pool[Math.floor(Math.random() * pool.length)];
    question.focus();
  });

  function showError(message) {
    errorBox.replaceChildren(el("strong", "", "Not graded: "), document.createTextNode(message));
    errorBox.hidden = false;
    errorBox.focus();
  }
  function clearError() { errorBox.hidden = true; errorBox.textContent = ""; answer.removeAttribute("aria-invalid"); }

  // Streaming view, filled in as events arrive.
  function bar(score) {
    var b = el("span", "bar");
    b.setAttribute("role", "img");
    b.setAttribute("aria-label", score + " of 4");
    for (var i = 1; i <= 4; i++) b.appendChild(el("span", i <= score ? "pip on" : "pip"));
    b.appendChild(el("span", "bar-num", score + "/4"));
    return b;
  }
  function liveView(a, body) {
    var root = el("section", "result streaming");
    root.id = "result";
    root.setAttribute("aria-busy", "true");
    var head = el("header", "card score-head");
    var dial = el("div", "dial");
    dial.appendChild(el("span", "dial-num", "…"));
    head.appendChild(dial);
    var txt = el("div", "score-text");
    txt.appendChild(el("h2", "", "Grading…"));
    txt.appendChild(el("p", "context", principle.options[principle.selectedIndex].text + (body.question ? " · " + body.question : "")));
    head.appendChild(txt);
    root.appendChild(head);

    var ann = el("section", "card annotated");
    ann.appendChild(el("h2", "", "Your answer, annotated"));
    var p = el("p", "answer-text");
    var cursor = 0;
    a.segments.forEach(function (s) {
      if (s.start > cursor) p.appendChild(document.createTextNode(body.answer.slice(cursor, s.start)));
      var span = el("span", "seg seg-" + (s.part || "other"));
      if (s.part) span.appendChild(el("span", "seg-tag", LETTER[s.part]));
      span.appendChild(document.createTextNode(body.answer.slice(s.start, s.end)));
      p.appendChild(span);
      cursor = s.end;
    });
    if (cursor < body.answer.length) p.appendChild(document.createTextNode(body.answer.slice(cursor)));
    ann.appendChild(p);
    root.appendChild(ann);

    var figs = el("section", "figures");
    var own = el("div", "figure");
    own.appendChild(el("h3", "", "Ownership"));
    own.appendChild(el("p", "big", a.ownership.iCount + " × I · " + a.ownership.weCount + " × we"));
    own.appendChild(el("p", "", "“I” share in the Action part: " + (a.ownership.actionIRatio === null ? "—" : Math.round(a.ownership.actionIRatio * 100) + "%")));
    var len = el("div", "figure");
    len.appendChild(el("h3", "", "Length"));
    len.appendChild(el("p", "big", clock(a.length.speakingSeconds) + " min spoken"));
    len.appendChild(el("p", "verdict verdict-" + a.length.verdict, a.length.words + " words, " + a.length.sentences + " sentences"));
    var num = el("div", "figure");
    num.appendChild(el("h3", "", "Numbers"));
    num.appendChild(el("p", "big", a.metrics.numbers.length));
    num.appendChild(el("p", "", a.metrics.numbers.join(", ") || "No figures in the answer."));
    figs.appendChild(own); figs.appendChild(len); figs.appendChild(num);
    root.appendChild(figs);

    var parts = el("section", "parts");
    PARTS.forEach(function (part) {
      var card = el("article", "card part part-" + part);
      var h = el("header", "part-head");
      h.appendChild(el("span", "part-letter", LETTER[part]));
      h.appendChild(el("h3", "", LABEL[part]));
      var slot = el("span", "score-slot");
      slot.id = "live-" + part + "-score";
      h.appendChild(slot);
      card.appendChild(h);
      var fb = el("p", "part-feedback");
      fb.id = "live-" + part + "-feedback";
      card.appendChild(fb);
      parts.appendChild(card);
    });
    root.appendChild(parts);
    return root;
  }
  function applyPartial(partial) {
    PARTS.forEach(function (part) {
      var g = partial && partial[part];
      if (!g) return;
      var fb = $("live-" + part + "-feedback");
      if (fb && typeof g.feedback === "string") fb.textContent = g.feedback;
      var slot = $("live-" + part + "-score");
      if (slot && typeof g.score === "number") slot.replaceChildren(bar(g.score));
    });
  }
  function replaceResult(node) {
    var current = $("result");
    current.replaceWith(node);
    return node;
  }

  function parseEvent(raw) {
    var ev = { event: "message", data: "" }, lines = raw.split(/\r?\n/), data = [];
    lines.forEach(function (line) {
      if (line.indexOf("event:") === 0) ev.event = line.slice(6).trim();
      else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
    });
    ev.data = data.join("\n");
    return ev;
  }

  async function grade(body) {
    var res = await fetch("/v1/grade/stream", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body),
    });
    var type = res.headers.get("content-type") || "";
    if (type.indexOf("text/event-stream") !== 0) {
      var json = await res.json().catch(function () { return null; });
      throw new Error(json && json.error ? json.error.message : "The server answered with HTTP " + res.status + ".");
    }
    var reader = res.body.getReader(), decoder = new TextDecoder(), buf = "", final = null;
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buf += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
      var idx;
      while ((idx = buf.indexOf("\n\n")) >= 0) {
        var ev = parseEvent(buf.slice(0, idx));
        buf = buf.slice(idx + 2);
        if (!ev.data) continue;
        var payload = JSON.parse(ev.data);
        if (ev.event === "analysis") replaceResult(liveView(payload, body));
        else if (ev.event === "partial") applyPartial(payload);
        else if (ev.event === "error") throw new Error(payload.error.message);
        else if (ev.event === "feedback") final = payload;
      }
    }
    if (!final) throw new Error("The connection closed before the feedback was complete; try again.");
    return final;
  }

  form.addEventListener("submit", async function (ev) {
    var intent = ev.submitter && ev.submitter.value;
    if (intent === "random") return; // handled above, or by the server without a bank
    ev.preventDefault();
    clearError();
    var before = $("result").cloneNode(true);
    var body = { principle: principle.value, question: question.value, answer: answer.value };
    submit.disabled = true;
    status.textContent = "Grading…";
    try {
      var feedback = await grade(body);
      var html = await fetch("/result/" + encodeURIComponent(feedback.id) + "?fragment=1").then(function (r) { return r.text(); });
      var tpl = document.createElement("template");
      tpl.innerHTML = html; // server-rendered, escaped by the JSX renderer
      var fresh = tpl.content.getElementById("result");
      if (fresh) replaceResult(fresh);
      history.pushState({ id: feedback.id }, "", "/result/" + encodeURIComponent(feedback.id));
      document.title = "Feedback: " + feedback.overall.score + "/100 · starcoach";
      status.textContent = "Graded: " + feedback.overall.score + "/100.";
      if (window.matchMedia("(max-width: 960px)").matches) $("result").scrollIntoView({ behavior: "smooth" });
    } catch (err) {
      replaceResult(before);
      if (/answer/i.test(err.message)) answer.setAttribute("aria-invalid", "true");
      status.textContent = "";
      showError(err.message || "Something went wrong; your text is still here, try again.");
    } finally {
      submit.disabled = false;
    }
  });
  window.addEventListener("popstate", function () { location.reload(); });
})();
`;
