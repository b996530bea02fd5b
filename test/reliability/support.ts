/** Build the real app with reliability settings for the reliability tests. */
import { DEFAULT_LENGTH } from "../../src/core/analyze.js";
import { securityDefaults, type SecurityConfig } from "../../src/config.js";
import { createOfflineGrader } from "../../src/grader/offline-grader.js";
import type { Grader } from "../../src/grader/types.js";
import { createGradingService } from "../../src/grading.js";
import { createApp } from "../../src/http/app.js";
import { createGate, type LogEntry } from "../../src/http/middleware/index.js";
import { batchSlot, docsAsset } from "../../src/node.js";
import { createLocalBatchJobs } from "../../src/batch/service.js";
import { openSqliteBatchStore } from "../../src/store/sqlite-batch.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { tempDbFile } from "../support/app.js";

export const TOKEN = "test-token-0123456789abcdef";

export function security(overrides: Partial<SecurityConfig> = {}): SecurityConfig {
  return { ...securityDefaults(), log: { enabled: true, answers: false }, ...overrides };
}

export function buildSecureApp(options: { security?: Partial<SecurityConfig>; grader?: Grader; secrets?: string[]; /** serve POST /v1/batches, rows through the gate */ batches?: boolean } = {}) {
  const dbFile = tempDbFile();
  const store = openSqliteStore(dbFile);
  const grader = options.grader ?? createOfflineGrader();
  const grading = createGradingService({ store, grader, length: DEFAULT_LENGTH });
  const sec = security(options.security);
  const gate = createGate(sec);
  const logs: LogEntry[] = [];
  const lines: string[] = [];
  const batches = options.batches ? createLocalBatchJobs({ store: openSqliteBatchStore(dbFile), grading, slot: batchSlot(gate), log: () => {} }) : undefined;
  const app = createApp({
    ...(batches ? { batches } : {}),
    store,
    grading,
    docsAsset,
    security: sec,
    gate,
    secrets: options.secrets ?? [],
    log: (entry) => {
      logs.push(entry);
      lines.push(JSON.stringify(entry));
    },
  });
  return { app, store, grading, gate, logs, lines, batches };
}

/** A grader that holds every grading until release() is called (or `ms` passes). */
export function heldGrader(ms = 10_000): Grader & { release(): void; started: number } {
  const offline = createOfflineGrader();
  const waiters: Array<() => void> = [];
  const g = {
    ...offline,
    started: 0,
    async grade(request: Parameters<Grader["grade"]>[0]) {
      g.started++;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
      return offline.grade(request);
    },
    release() {
      for (const w of waiters.splice(0)) w();
    },
  };
  delete (g as Partial<Grader>).gradeStream;
  return g;
}
