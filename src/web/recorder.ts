/**
 * The recorder (part of the page script) of the practice form and of the mock interview's question:
 * the microphone through MediaRecorder, a timer against the length target and a level meter while
 * recording, then listen back, record again or send the recording to the box's upload address
 * (data-upload: POST /v1/grade/audio, or the mock's spoken answer). Every control is a plain button,
 * so Tab and Enter work; focus moves to Stop when recording starts and to the send button when it
 * stops. The recording and its length stay on the page whatever the server answers.
 */
import { clock } from "./format.js";

export interface RecorderHooks<T> {
  /** The text fields sent with the recording; empty ones are left out. */
  fields(): Record<string, string>;
  clearError(): void;
  showError(message: string): void;
  /** The server took the recording (`seconds`: its length on the page): show the answer; returns the status line. */
  accepted(json: T, seconds: number): Promise<string>;
}

type RecorderState = "idle" | "requesting" | "recording" | "recorded" | "sending" | "graded" | "denied" | "unsupported";

/** What to tell a person whose microphone could not be opened, by the browser's error name. */
export function microphoneMessage(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === "NotAllowedError" || name === "PermissionDeniedError" || name === "SecurityError") {
    return "Microphone access was denied. Allow the microphone for this site in the browser (the icon beside the address), then press Record answer again.";
  }
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
    return "No microphone was found. Connect one, then press Record answer again.";
  }
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
    return "The microphone could not be started: another application may be using it.";
  }
  const message = (error as { message?: string } | null)?.message;
  return `The microphone could not be started${message ? `: ${message}` : "."}`;
}

/** The first container this browser can record (Chromium and Firefox: WebM/Opus; Safari: MP4). */
function recordingType(): string {
  const types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
  return types.find((t) => MediaRecorder.isTypeSupported?.(t)) ?? "";
}

function extensionOf(type: string): string {
  return /ogg/.test(type) ? "ogg" : /mp4|m4a|aac/.test(type) ? "m4a" : /wav/.test(type) ? "wav" : /mpeg|mp3/.test(type) ? "mp3" : "webm";
}

function part<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the recorder`);
  return node as T;
}

export function setUpRecorder<T>(box: HTMLElement, hooks: RecorderHooks<T>): void {
  const startBtn = part<HTMLButtonElement>("rec-start");
  const stopBtn = part<HTMLButtonElement>("rec-stop");
  const timer = part("rec-timer");
  const level = part("rec-level");
  const playback = part<HTMLAudioElement>("rec-playback");
  const review = part("rec-review");
  const sendBtn = part<HTMLButtonElement>("rec-submit");
  const redoBtn = part<HTMLButtonElement>("rec-redo");
  const status = part("rec-status");
  const target = Number(box.dataset.targetSeconds) || 120;
  const limit = Number(box.dataset.maxSeconds) || 600;
  const upload = box.dataset.upload ?? "/v1/grade/audio";

  let recorder: MediaRecorder | null = null;
  let stream: MediaStream | null = null;
  let audioContext: AudioContext | null = null;
  let chunks: Blob[] = [];
  let recording: Blob | null = null;
  let playbackUrl: string | null = null;
  let started = 0;
  let stopped = 0;
  let seconds = 0;
  let tick = 0;
  let frame = 0;

  box.hidden = false; // there is nothing to record without this script
  const setState = (state: RecorderState) => (box.dataset.state = state);
  const showTime = (s: number) => {
    timer.textContent = `${clock(s)} / ${clock(target)}`;
    timer.classList.toggle("over", s > target);
  };

  function startMeter(source: MediaStream) {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    audioContext = new Context();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 1024;
    audioContext.createMediaStreamSource(source).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const draw = () => {
      analyser.getByteTimeDomainData(samples);
      let sum = 0;
      for (const byte of samples) sum += ((byte - 128) / 128) ** 2;
      level.style.width = `${Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 300))}%`;
      frame = requestAnimationFrame(draw);
    };
    draw();
  }

  function release() {
    cancelAnimationFrame(frame);
    clearInterval(tick);
    level.style.width = "0";
    void audioContext?.close().catch(() => {});
    audioContext = null;
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
  }

  async function start() {
    hooks.clearError();
    status.textContent = "";
    if (!("MediaRecorder" in window) || !navigator.mediaDevices?.getUserMedia) {
      status.textContent = window.isSecureContext === false
        ? "Recording needs a secure page: open starcoach on localhost or over https."
        : "This browser cannot record audio; type the answer instead.";
      setState("unsupported");
      return;
    }
    setState("requesting");
    startBtn.disabled = redoBtn.disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setState(recording ? "recorded" : "denied");
      status.textContent = microphoneMessage(error);
      startBtn.disabled = redoBtn.disabled = false;
      (recording ? redoBtn : startBtn).focus();
      return;
    }
    const type = recordingType();
    const current = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    recorder = current;
    chunks = [];
    current.addEventListener("dataavailable", (e) => {
      if (e.data.size) chunks.push(e.data);
    });
    current.addEventListener("stop", () => finish(current));
    seconds = 0;
    showTime(0);
    review.hidden = playback.hidden = startBtn.hidden = true;
    startBtn.disabled = redoBtn.disabled = false;
    stopBtn.hidden = false;
    stopBtn.focus();
    // Capture starts with start(); the "start" event can come much later on a busy machine.
    current.start();
    started = performance.now();
    setState("recording");
    status.textContent = `Recording. Press Stop when you are done; aim for ${clock(target)} at most.`;
    tick = window.setInterval(() => {
      seconds = (performance.now() - started) / 1000;
      showTime(seconds);
      if (seconds >= limit) stop();
    }, 200);
    startMeter(stream);
  }

  function stop() {
    if (!recorder || recorder.state === "inactive") return;
    stopped = performance.now(); // the length is what the speaker heard, not when the last data arrived
    clearInterval(tick);
    recorder.stop();
  }

  function finish(done: MediaRecorder) {
    seconds = ((stopped || performance.now()) - started) / 1000;
    stopped = 0;
    release();
    recording = new Blob(chunks, { type: done.mimeType || "audio/webm" });
    if (playbackUrl) URL.revokeObjectURL(playbackUrl);
    playbackUrl = URL.createObjectURL(recording);
    playback.src = playbackUrl;
    playback.hidden = review.hidden = false;
    stopBtn.hidden = true;
    showTime(seconds);
    setState("recorded");
    status.textContent = `Recorded ${clock(seconds)}. Listen back, grade it, or record again.`;
    sendBtn.focus();
  }

  async function send() {
    if (!recording) return;
    hooks.clearError();
    sendBtn.disabled = redoBtn.disabled = true;
    setState("sending");
    status.textContent = `Transcribing and grading your ${clock(seconds)} recording…`;
    const body = new FormData();
    body.append("audio", recording, `answer.${extensionOf(recording.type)}`);
    for (const [name, value] of Object.entries(hooks.fields())) if (value.trim()) body.append(name, value);
    try {
      const res = await fetch(upload, { method: "POST", body });
      const json = (await res.json().catch(() => null)) as (T & { error?: { message: string } }) | null;
      if (!res.ok || !json || json.error) throw new Error(json?.error ? json.error.message : `The server answered with HTTP ${res.status}.`);
      const line = await hooks.accepted(json, seconds);
      setState("graded");
      status.textContent = line;
    } catch (error) {
      setState("recorded");
      status.textContent = `Your ${clock(seconds)} recording is still here: grade it again, or record a new one.`;
      hooks.showError(error instanceof Error && error.message ? error.message : "Something went wrong; your recording is still here, try again.");
    } finally {
      sendBtn.disabled = redoBtn.disabled = false;
    }
  }

  startBtn.addEventListener("click", () => void start());
  redoBtn.addEventListener("click", () => void start());
  stopBtn.addEventListener("click", stop);
  sendBtn.addEventListener("click", () => void send());
}
