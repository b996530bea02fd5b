/**
 * The page's only script, served at /assets/app.js. Progressive enhancement: without it the form
 * posts and the server renders the result; with it the page stays put, counts words live, picks
 * random questions, streams the feedback in over SSE, and records spoken answers (microphone →
 * MediaRecorder → POST /v1/grade/audio). Text from users and the model is only ever
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
      var span = el("span", "seg seg-" + s.part);
      span.appendChild(el("span", "seg-tag", LETTER[s.part]));
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

  /** Show a finished grading: the server-rendered result fragment, and its address in the history. */
  async function showFeedback(feedback) {
    var html = await fetch("/result/" + encodeURIComponent(feedback.id) + "?fragment=1").then(function (r) { return r.text(); });
    var tpl = document.createElement("template");
    tpl.innerHTML = html; // server-rendered, escaped by the JSX renderer
    var fresh = tpl.content.getElementById("result");
    if (fresh) replaceResult(fresh);
    history.pushState({ id: feedback.id }, "", "/result/" + encodeURIComponent(feedback.id));
    document.title = "Feedback: " + feedback.overall.score + "/100 · starcoach";
    status.textContent = "Graded: " + feedback.overall.score + "/100.";
    if (window.matchMedia("(max-width: 960px)").matches) $("result").scrollIntoView({ behavior: "smooth" });
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
      await showFeedback(await grade(body));
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

  // Spoken answers: record from the microphone with a timer and a level meter, listen back, then
  // send the recording to /v1/grade/audio (transcribed, then graded like a typed answer).
  var rec = $("recorder");
  if (rec) setupRecorder(rec);

  function micMessage(err) {
    var name = err && err.name;
    if (name === "NotAllowedError" || name === "PermissionDeniedError" || name === "SecurityError") {
      return "Microphone access was denied. Allow the microphone for this site in the browser (the icon beside the address), then press Record answer again.";
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
      return "No microphone was found. Connect one, then press Record answer again.";
    }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
      return "The microphone could not be started: another application may be using it.";
    }
    return "The microphone could not be started" + (err && err.message ? ": " + err.message : ".");
  }
  function recordingType() {
    var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
    for (var i = 0; i < types.length; i++) if (MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(types[i])) return types[i];
    return "";
  }
  function extensionOf(type) {
    return /ogg/.test(type) ? "ogg" : /mp4|m4a|aac/.test(type) ? "m4a" : /wav/.test(type) ? "wav" : /mpeg|mp3/.test(type) ? "mp3" : "webm";
  }

  function setupRecorder(box) {
    var startBtn = $("rec-start"), stopBtn = $("rec-stop"), timer = $("rec-timer"), level = $("rec-level");
    var playback = $("rec-playback"), review = $("rec-review"), sendBtn = $("rec-submit"), redoBtn = $("rec-redo"), recStatus = $("rec-status");
    var target = Number(box.dataset.targetSeconds) || 120, limit = Number(box.dataset.maxSeconds) || 600;
    var recorder = null, stream = null, chunks = [], started = 0, stopped = 0, seconds = 0, tick = 0, frame = 0, audioCtx = null, blob = null, url = null;
    box.hidden = false;

    function setState(state) { box.dataset.state = state; }
    function showTime(s) {
      timer.textContent = clock(s) + " / " + clock(target);
      timer.classList.toggle("over", s > target);
    }
    function meter() {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      audioCtx = new Ctx();
      var analyser = audioCtx.createAnalyser();
      analyser.fftSize = 1024;
      audioCtx.createMediaStreamSource(stream).connect(analyser);
      var data = new Uint8Array(analyser.fftSize);
      (function draw() {
        analyser.getByteTimeDomainData(data);
        var sum = 0;
        for (var i = 0; i < data.length; i++) { var v = (data[i] - 128) / 128; sum += v * v; }
        level.style.width = Math.min(100, Math.round(Math.sqrt(sum / data.length) * 300)) + "%";
        frame = requestAnimationFrame(draw);
      })();
    }
    function release() {
      cancelAnimationFrame(frame);
      clearInterval(tick);
      level.style.width = "0";
      if (audioCtx) { audioCtx.close().catch(function () {}); audioCtx = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    }

    async function start() {
      clearError();
      recStatus.textContent = "";
      if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        recStatus.textContent = window.isSecureContext === false
          ? "Recording needs a secure page: open starcoach on localhost or over https."
          : "This browser cannot record audio; type the answer instead.";
        setState("unsupported");
        return;
      }
      setState("requesting");
      startBtn.disabled = true;
      redoBtn.disabled = true;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (err) {
        setState(blob ? "recorded" : "denied");
        recStatus.textContent = micMessage(err);
        startBtn.disabled = false;
        redoBtn.disabled = false;
        (blob ? redoBtn : startBtn).focus();
        return;
      }
      var type = recordingType();
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      chunks = [];
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
      recorder.onstop = finish;
      seconds = 0;
      showTime(0);
      review.hidden = true;
      playback.hidden = true;
      startBtn.hidden = true;
      startBtn.disabled = false;
      redoBtn.disabled = false;
      stopBtn.hidden = false;
      stopBtn.focus();
      // Capture starts with start() (the "start" event can come much later on a busy machine).
      recorder.start();
      started = performance.now();
      setState("recording");
      recStatus.textContent = "Recording. Press Stop when you are done; aim for " + clock(target) + " at most.";
      tick = setInterval(function () {
        seconds = (performance.now() - started) / 1000;
        showTime(seconds);
        if (seconds >= limit) stop();
      }, 200);
      meter();
    }
    function stop() {
      if (!recorder || recorder.state === "inactive") return;
      stopped = performance.now(); // the length is what the speaker heard, not when the last data arrived
      clearInterval(tick);
      recorder.stop();
    }
    function finish() {
      seconds = ((stopped || performance.now()) - started) / 1000;
      stopped = 0;
      release();
      blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(blob);
      playback.src = url;
      playback.hidden = false;
      stopBtn.hidden = true;
      review.hidden = false;
      showTime(seconds);
      setState("recorded");
      recStatus.textContent = "Recorded " + clock(seconds) + ". Listen back, grade it, or record again.";
      sendBtn.focus();
    }
    async function send() {
      if (!blob) return;
      clearError();
      sendBtn.disabled = true;
      redoBtn.disabled = true;
      setState("sending");
      recStatus.textContent = "Transcribing and grading your " + clock(seconds) + " recording…";
      var data = new FormData();
      data.append("audio", blob, "answer." + extensionOf(blob.type));
      data.append("principle", principle.value);
      if (question.value.trim()) data.append("question", question.value);
      try {
        var res = await fetch("/v1/grade/audio", { method: "POST", body: data });
        var feedback = await res.json().catch(function () { return null; });
        if (!res.ok || !feedback || feedback.error) {
          throw new Error(feedback && feedback.error ? feedback.error.message : "The server answered with HTTP " + res.status + ".");
        }
        answer.value = feedback.answer; // the transcript, to edit and grade again as text
        updateLive();
        await showFeedback(feedback);
        setState("graded");
        recStatus.textContent = "Graded your " + clock(feedback.delivery.durationSeconds) + " recording: " + feedback.overall.score + "/100.";
      } catch (err) {
        setState("recorded");
        // The recording and its length stay on the page, whatever went wrong.
        recStatus.textContent = "Your " + clock(seconds) + " recording is still here: grade it again, or record a new one.";
        showError(err.message || "Something went wrong; your recording is still here, try again.");
      } finally {
        sendBtn.disabled = false;
        redoBtn.disabled = false;
      }
    }

    startBtn.addEventListener("click", start);
    stopBtn.addEventListener("click", stop);
    redoBtn.addEventListener("click", start);
    sendBtn.addEventListener("click", send);
  }
})();
`;
