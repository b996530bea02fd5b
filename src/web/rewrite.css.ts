/** Styles of the "Stronger version" panel (src/web/rewrite-panel.tsx), served inside app.css. */
export const REWRITE_CSS = `
.rewrite .rw-promise { color: var(--muted); margin-top: 0; }
mark.ph { background: var(--accent-soft); color: var(--accent); border: 1px dashed currentColor; border-radius: 4px; padding: 0 .2em; font-style: italic; }
.rw-diff { display: grid; grid-template-columns: 1fr 1fr; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; margin: .8rem 0; font-family: var(--serif); line-height: 1.6; }
.rw-row { display: contents; }
.rw-row > span { padding: .5rem .7rem; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
.rw-head > span { border-top: 0; font: 600 .78rem/1.4 var(--font); text-transform: uppercase; letter-spacing: .05em; color: var(--muted); background: var(--bg); }
.rw-old { color: var(--muted); border-right: 1px solid var(--line); }
.rw-new .seg-tag { margin-right: .45em; }
.tag-situation { background: var(--s-ink); } .tag-task { background: var(--t-ink); }
.tag-action { background: var(--a-ink); } .tag-result { background: var(--r-ink); }
.rw-diff del { text-decoration-color: var(--danger); background: var(--danger-soft); border-radius: 3px; }
.rw-diff ins { text-decoration: none; background: color-mix(in srgb, var(--ok) 16%, transparent); border-radius: 3px; }
.rw-left-out > span { background: color-mix(in srgb, var(--line) 35%, transparent); }
.rw-checked { font-size: .9rem; }
.rw-placeholders { padding-left: 1.2rem; }
.rw-placeholders li { margin-bottom: .3rem; }
a.button { display: inline-block; text-decoration: none; border-radius: 8px; padding: .65rem 1.4rem; font-weight: 600; }
a.button.primary { background: var(--accent); color: var(--accent-ink); }
@media (max-width: 720px) { .rw-diff { grid-template-columns: 1fr; } .rw-old { border-right: 0; } }
`;
