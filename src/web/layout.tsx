/** The page shell: head, top bar with the grading mode, main content. Assets come from the app itself. */
import type { Child } from "hono/jsx";
import type { Grader } from "../grader/types.js";
import { ASSET_VERSION } from "./assets.js";

export function Layout(props: { title: string; grader: Pick<Grader, "mode" | "model">; active?: "practise" | "history" | "stories" | "mock"; children: Child }) {
  const { grader } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={`/assets/app.css?v=${ASSET_VERSION}`} />
        <script src={`/assets/app.js?v=${ASSET_VERSION}`} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="topbar">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">★</span> starcoach
          </a>
          <nav aria-label="Main">
            <a href="/" aria-current={props.active === "practise" ? "page" : undefined}>Practise</a>
            <a href="/stories" aria-current={props.active === "stories" ? "page" : undefined}>Stories</a>
            <a href="/mock" aria-current={props.active === "mock" ? "page" : undefined}>Mock interview</a>
            <a href="/history" aria-current={props.active === "history" ? "page" : undefined}>History</a>
            <a href="/docs">API</a>
          </nav>
          {/* The badge opens the endpoint check (GET /v1/doctor, the same as `starcoach doctor`). */}
          <a
            class={`mode mode-${grader.mode}`}
            href="/v1/doctor"
            title={`${grader.mode === "llm" ? "Feedback from a language model" : "Rule-based feedback only"}. Check the model connection.`}
          >
            {grader.mode === "llm" ? `Model: ${grader.model}` : "Offline mode"}
          </a>
        </header>
        <main id="main">{props.children}</main>
        <footer class="foot">
          Your answers stay on this machine (SQLite). Aim for 1–2 minutes, “I” in the actions, a number in the result.
        </footer>
      </body>
    </html>
  );
}
