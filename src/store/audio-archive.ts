/**
 * Kept recordings (STARCOACH_KEEP_AUDIO=1) as plain files, `<grading id>.<format>`, in an `audio`
 * folder beside the SQLite file; deleting a grading deletes its recording, and deleting all
 * gradings deletes the folder (withAudioCleanup; `starcoach data wipe` too).
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AudioFormat } from "../audio/format.js";
import type { AudioArchive } from "../spoken.js";
import type { Store } from "./types.js";

/** Grading ids are UUIDs; anything else never becomes part of a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function audioDirFor(dbFile: string): string {
  return join(dbFile === ":memory:" ? ".data" : dirname(dbFile), "audio");
}

export function openAudioArchive(dir: string): AudioArchive {
  return {
    async save(id, audio, format: AudioFormat) {
      if (!SAFE_ID.test(id)) return;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${id}.${format}`), audio);
    },
    async remove(id) {
      if (!SAFE_ID.test(id)) return;
      const files = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(files.filter((f) => f.startsWith(`${id}.`)).map((f) => rm(join(dir, f), { force: true })));
    },
    async removeAll() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The store, with a grading's recording deleted along with the grading. */
export function withAudioCleanup(store: Store, archive: AudioArchive): Store {
  return {
    ...store,
    async deleteGrading(id) {
      const deleted = await store.deleteGrading(id);
      await archive.remove(id);
      return deleted;
    },
    async deleteAll() {
      const counts = await store.deleteAll();
      await archive.removeAll();
      return counts;
    },
  };
}
