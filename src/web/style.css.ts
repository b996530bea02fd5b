/** The page's stylesheet, served by the app at /assets/app.css (a module, so Node and Workers both bundle it). */
export const APP_CSS = `
:root {
  --bg: #f5f4f0; --surface: #ffffff; --ink: #1d1f24; --muted: #5b6070; --line: #e2e0d9;
  --accent: #3d3bb8; --accent-ink: #ffffff; --accent-soft: #ecebfb;
  --danger: #b42318; --danger-soft: #fdecea; --ok: #127a3e; --warn: #a15c07;
  --s-bg: #dbeafe; --s-ink: #1e40af; --t-bg: #ede9fe; --t-ink: #5b21b6;
  --a-bg: #dcfce7; --a-ink: #166534; --r-bg: #fef3c7; --r-ink: #92400e;
  --ev: #1d1f24; --we-bg: #fecaca; --we-ink: #7f1d1d;
  --radius: 12px; --shadow: 0 1px 2px rgba(20, 20, 40, .06), 0 4px 16px rgba(20, 20, 40, .05);
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15161a; --surface: #1e2026; --ink: #e9e8e4; --muted: #a4a8b5; --line: #30333c;
    --accent: #8f8cf5; --accent-ink: #111; --accent-soft: #2a2950;
    --danger: #ff8a80; --danger-soft: #3a1f1f; --ok: #6ee7a0; --warn: #fbbf24;
    --s-bg: #1c3159; --s-ink: #bcd3ff; --t-bg: #33285a; --t-ink: #ddd0ff;
    --a-bg: #173d28; --a-ink: #b5f0c9; --r-bg: #4a3712; --r-ink: #fde7a7;
    --ev: #e9e8e4; --we-bg: #6b1f1f; --we-ink: #ffd9d9;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.55 var(--font); }
a { color: var(--accent); text-underline-offset: 2px; }
h1, h2, h3 { line-height: 1.25; margin: 0 0 .5rem; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.15rem; } h3 { font-size: 1rem; }
p { margin: 0 0 .6rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; top: 0; background: var(--accent); color: var(--accent-ink); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 0; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 4px; }

.topbar { display: flex; align-items: center; gap: 1.25rem; padding: .7rem clamp(1rem, 3vw, 2rem); background: var(--surface); border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; letter-spacing: -.01em; }
.brand-mark { color: var(--accent); }
.topbar nav { display: flex; gap: 1rem; }
.topbar nav a { color: var(--muted); text-decoration: none; padding: .2rem 0; border-bottom: 2px solid transparent; }
.topbar nav a[aria-current="page"], .topbar nav a:hover { color: var(--ink); border-bottom-color: var(--accent); }
.mode { margin-left: auto; font-size: .8rem; padding: .2rem .6rem; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
.mode-llm { color: var(--ok); border-color: currentColor; }
.mode-offline { color: var(--warn); border-color: currentColor; }
main { max-width: 1320px; margin: 0 auto; padding: 1.25rem clamp(.75rem, 3vw, 2rem) 2rem; }
.foot { max-width: 1320px; margin: 0 auto; padding: 0 2rem 2rem; color: var(--muted); font-size: .85rem; }

.card { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.1rem 1.25rem; }
.workspace { display: grid; grid-template-columns: minmax(320px, 5fr) 7fr; gap: 1.25rem; align-items: start; }
.workspace > .col-form { position: sticky; top: 1rem; }
@media (max-width: 960px) { .workspace { grid-template-columns: 1fr; } .workspace > .col-form { position: static; } .has-result > .col-result { order: -1; } }

.form-title { margin-bottom: .9rem; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-bottom: .3rem; }
.optional { font-weight: 400; color: var(--muted); }
.hint { color: var(--muted); font-size: .88rem; margin: .35rem 0 0; }
select, input[type="text"], textarea {
  width: 100%; font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line);
  border-radius: 8px; padding: .55rem .7rem;
}
textarea { font-family: var(--serif); font-size: 1.05rem; line-height: 1.6; resize: vertical; min-height: 14rem; }
select:focus, input:focus, textarea:focus { border-color: var(--accent); outline: 2px solid var(--accent-soft); }
[aria-invalid="true"] { border-color: var(--danger) !important; }
.row { display: flex; gap: .5rem; }
.row input { flex: 1; min-width: 0; }
@media (max-width: 520px) { .row { flex-direction: column; } }
button { font: inherit; cursor: pointer; border-radius: 8px; padding: .55rem 1rem; border: 1px solid transparent; }
button.primary { background: var(--accent); color: var(--accent-ink); font-weight: 600; padding: .65rem 1.4rem; }
button.primary:hover { filter: brightness(1.08); }
button.primary[disabled] { opacity: .6; cursor: progress; }
button.secondary { background: var(--surface); color: var(--ink); border-color: var(--line); white-space: nowrap; }
button.secondary:hover { border-color: var(--accent); }
button.link { background: none; border: 0; padding: 0; color: var(--accent); text-decoration: underline; }
button.danger { color: var(--danger); }
.actions { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.principles-help { margin-top: .4rem; font-size: .9rem; }
.principles-help summary { cursor: pointer; color: var(--accent); }
.principles-help dl { margin: .5rem 0 0; max-height: 18rem; overflow: auto; padding-right: .5rem; }
.principles-help dt { font-weight: 600; margin-top: .4rem; }
.principles-help dd { margin: 0; color: var(--muted); }

.live { display: flex; align-items: center; gap: .75rem; margin-top: .4rem; font-size: .88rem; color: var(--muted); flex-wrap: wrap; }
.live-bar { position: relative; flex: 1; min-width: 120px; height: 8px; border-radius: 99px; background: var(--line); overflow: hidden; }
.live-target { position: absolute; top: 0; bottom: 0; background: color-mix(in srgb, var(--ok) 25%, transparent); }
.live-fill { position: absolute; left: 0; top: 0; bottom: 0; width: 0; background: var(--muted); border-radius: 99px; transition: width .15s; }
.live.verdict-ok .live-fill { background: var(--ok); }
.live.verdict-too_long .live-fill { background: var(--danger); }
.live.verdict-ok #live-words { color: var(--ok); }
.live.verdict-too_long #live-words { color: var(--danger); }

.recorder { border: 1px dashed var(--line); border-radius: 10px; padding: .7rem .8rem; }
.recorder[hidden], .recorder [hidden] { display: none !important; }
.recorder .label { display: block; font-weight: 600; margin-bottom: .4rem; }
.rec-row { display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; }
.rec-row + .rec-row, #rec-playback { margin-top: .5rem; }
#rec-playback { width: 100%; height: 2.2rem; }
.rec-dot { display: inline-block; width: .7em; height: .7em; border-radius: 50%; background: var(--danger); vertical-align: -.05em; }
.rec-square { display: inline-block; width: .65em; height: .65em; background: currentColor; vertical-align: -.02em; }
.rec-timer { font-variant-numeric: tabular-nums; font-weight: 600; min-width: 6.5em; }
.rec-timer.over { color: var(--danger); }
.recorder[data-state="recording"] .rec-timer::before { content: "● "; color: var(--danger); }
.rec-meter { position: relative; flex: 1; min-width: 80px; height: 8px; border-radius: 99px; background: var(--line); overflow: hidden; }
.rec-level { position: absolute; left: 0; top: 0; bottom: 0; width: 0; background: var(--ok); transition: width .08s linear; }
.recorder[data-state="denied"] #rec-status, .recorder[data-state="unsupported"] #rec-status { color: var(--danger); font-weight: 600; }
.rec-privacy { font-size: .8rem; }

.alert { background: var(--danger-soft); color: var(--danger); border: 1px solid currentColor; border-radius: 8px; padding: .6rem .8rem; margin-bottom: 1rem; }
.alert[hidden] { display: none; }
.notice { background: color-mix(in srgb, var(--warn) 12%, var(--surface)); border: 1px solid color-mix(in srgb, var(--warn) 45%, transparent); border-radius: var(--radius); padding: .7rem 1rem; margin-bottom: 1rem; font-size: .92rem; }
.flash { background: var(--accent-soft); border-radius: 8px; padding: .5rem .8rem; }

.result > * + * { margin-top: 1rem; }
.score-head { display: flex; gap: 1.25rem; align-items: center; }
.dial { flex: none; width: 92px; height: 92px; border-radius: 50%; display: grid; place-content: center; text-align: center; border: 6px solid var(--line); }
.dial-num { font-size: 2rem; font-weight: 750; line-height: 1; }
.dial-of { font-size: .75rem; color: var(--muted); }
.band-strong { border-color: var(--ok); } .band-solid { border-color: #4f8f3a; }
.band-developing { border-color: var(--warn); } .band-weak { border-color: var(--danger); }
.score-text .context { margin: 0 0 .2rem; }
.meta { color: var(--muted); font-size: .85rem; margin: 0; }
.delta { display: inline-block; font-weight: 700; font-size: .8rem; padding: .05rem .45rem; border-radius: 99px; }
.delta-up { background: color-mix(in srgb, var(--ok) 18%, transparent); color: var(--ok); }
.delta-down { background: var(--danger-soft); color: var(--danger); }
.delta-same { background: var(--line); color: var(--muted); }

.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; margin: 0 0 .8rem; font-size: .8rem; }
.chip { padding: .1rem .55rem; border-radius: 99px; border: 1px solid var(--line); }
.answer-text { font-family: var(--serif); font-size: 1.08rem; line-height: 1.9; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.seg { border-radius: 4px; padding: .12em .15em; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.seg-tag { display: inline-block; font: 700 .62rem/1 var(--font); padding: .2em .35em; border-radius: 3px; margin-right: .3em; vertical-align: .2em; color: var(--surface); }
.seg-situation { background: var(--s-bg); } .seg-situation .seg-tag { background: var(--s-ink); }
.seg-task { background: var(--t-bg); } .seg-task .seg-tag { background: var(--t-ink); }
.seg-action { background: var(--a-bg); } .seg-action .seg-tag { background: var(--a-ink); }
.seg-result { background: var(--r-bg); } .seg-result .seg-tag { background: var(--r-ink); }
mark { color: inherit; background: none; }
mark.ev { text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: 4px; text-decoration-color: color-mix(in srgb, var(--ev) 70%, transparent); }
mark.we { background: var(--we-bg); color: var(--we-ink); border-radius: 3px; padding: 0 .15em; outline: 1.5px dashed var(--we-ink); outline-offset: -1px; }

mark.filler { text-decoration: underline wavy; text-decoration-color: var(--warn); text-underline-offset: 3px; text-decoration-thickness: 1.5px; }
.pause { display: inline-block; font: 600 .68rem/1 var(--font); color: var(--warn); border: 1px solid currentColor; border-radius: 99px; padding: .15em .45em; margin: 0 .25em; vertical-align: .15em; }
.delivery-grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1rem; font-size: .9rem; }
@media (max-width: 900px) { .delivery-grid { grid-template-columns: repeat(2, 1fr); } }
.delivery h3 { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.pause-list { margin: 0; padding-left: 1.1rem; font-size: .85rem; }

.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem; }
@media (max-width: 720px) { .figures { grid-template-columns: 1fr; } }
.figure { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .9rem 1rem; box-shadow: var(--shadow); font-size: .9rem; }
.figure h3 { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.big { font-size: 1.5rem; font-weight: 700; margin-bottom: .3rem; }
.unit { font-size: .85rem; font-weight: 500; color: var(--muted); }
.verdict { font-weight: 600; margin: .3rem 0 0; }
.verdict-ok, .own-strong { color: var(--ok); }
.verdict-too_short, .verdict-too_long, .own-weak { color: var(--danger); }
.own-mixed, .own-unclear { color: var(--warn); }
.gauge { position: relative; height: 10px; border-radius: 99px; background: var(--line); margin: .6rem 0; }
.gauge-target { position: absolute; top: 0; bottom: 0; background: color-mix(in srgb, var(--ok) 35%, transparent); border-radius: 99px; }
.gauge-marker { position: absolute; top: -4px; width: 4px; height: 18px; margin-left: -2px; border-radius: 2px; background: var(--ink); }

.parts { display: grid; grid-template-columns: repeat(2, 1fr); gap: 1rem; }
@media (max-width: 720px) { .parts { grid-template-columns: 1fr; } }
.part { border-top: 4px solid var(--line); }
.part-situation { border-top-color: var(--s-ink); } .part-task { border-top-color: var(--t-ink); }
.part-action { border-top-color: var(--a-ink); } .part-result { border-top-color: var(--r-ink); }
.part-head { display: flex; align-items: center; gap: .6rem; margin-bottom: .5rem; flex-wrap: wrap; }
.part-head h2, .part-head h3 { margin: 0; }
.part-head .bar { margin-left: auto; }
.part-letter { width: 1.7rem; height: 1.7rem; border-radius: 6px; display: grid; place-content: center; font-weight: 800; color: var(--surface); }
.part-situation .part-letter { background: var(--s-ink); } .part-task .part-letter { background: var(--t-ink); }
.part-action .part-letter { background: var(--a-ink); } .part-result .part-letter { background: var(--r-ink); }
.bar { display: inline-flex; align-items: center; gap: 3px; }
.pip { width: 18px; height: 8px; border-radius: 3px; background: var(--line); }
.pip.on { background: var(--accent); }
.bar-num { font-size: .8rem; color: var(--muted); margin-left: .35rem; font-variant-numeric: tabular-nums; }
.missing { color: var(--danger); font-weight: 600; }
.fix { background: var(--accent-soft); border-radius: 8px; padding: .5rem .7rem; }
.evidence { list-style: none; padding: 0; margin: .4rem 0 0; font-family: var(--serif); color: var(--muted); }
.evidence li { border-left: 3px solid var(--line); padding-left: .6rem; margin-top: .3rem; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 720px) { .two { grid-template-columns: 1fr; } }
.improvements li, .followups li { margin-bottom: .4rem; }
.steps li { margin-bottom: .5rem; }
.pending { color: var(--muted); font-style: italic; }
.streaming .part-feedback:empty::before { content: "Waiting for the model…"; color: var(--muted); font-style: italic; }

.history table { width: 100%; border-collapse: collapse; font-size: .93rem; }
.history th, .history td { text-align: left; padding: .55rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.history th { font-size: .78rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.table-wrap { overflow-x: auto; }
.num { text-align: right !important; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.muted { color: var(--muted); } .small { font-size: .8rem; }
.score-pill { display: inline-block; min-width: 2.4rem; text-align: center; font-weight: 700; border-radius: 99px; padding: .05rem .5rem; border-width: 2px; border-style: solid; }
.row-actions { white-space: nowrap; } .row-actions > * + * { margin-left: .9rem; }
form.inline { display: inline; margin: 0; }
`;
