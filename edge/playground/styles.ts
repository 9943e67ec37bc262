/** The playground's stylesheet (served at /playground/app.css; no external font or CDN). */
export const PLAYGROUND_CSS = `
:root { color-scheme: light dark; --accent: #0b6e4f; --muted: #5b6470; --border: #c8cdd3; --bg-soft: #f3f5f7; --error: #a4161a; }
@media (prefers-color-scheme: dark) { :root { --accent: #4cc38a; --muted: #a6adb6; --border: #3b4450; --bg-soft: #1d232b; --error: #ff8a8a; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; justify-content: space-between; }
h1 { font-size: 1.4rem; margin: 0; }
nav a { margin-right: 1rem; }
a { color: var(--accent); }
.pickers { display: grid; grid-template-columns: 1fr auto 1fr; gap: 0.75rem; align-items: end; }
.picker { display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
.picker select { width: 100%; }
.panes { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: 1rem; }
label { font-weight: 600; }
input[type="search"], select, textarea, button { font: inherit; }
input[type="search"], select, textarea { padding: 0.45rem 0.55rem; border: 1px solid var(--border); border-radius: 6px; background: transparent; color: inherit; }
textarea { width: 100%; min-height: 10rem; resize: vertical; }
button { padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button:disabled { opacity: 0.6; cursor: progress; }
:focus-visible { outline: 3px solid #f59f00; outline-offset: 2px; }
.row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin-top: 0.5rem; }
fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 1rem; }
legend { font-weight: 600; float: left; margin-right: 0.5rem; }
.output { min-height: 10rem; padding: 0.6rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg-soft); white-space: pre-wrap; overflow-wrap: anywhere; }
.meta, .detected { color: var(--muted); font-size: 0.92rem; margin: 0.35rem 0 0; }
.alternatives { margin: 0.35rem 0 0; padding-left: 1.2rem; }
.error { color: var(--error); font-weight: 600; min-height: 1.5rem; }
.documents { margin-top: 1.5rem; padding-top: 1rem; border-top: 1px solid var(--border); }
@media (max-width: 640px) {
  .pickers { grid-template-columns: 1fr; }
  .panes { grid-template-columns: 1fr; }
  #swap { justify-self: start; }
}
`;
