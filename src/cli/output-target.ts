/**
 * Where `--out` and `--report` write. Checked before any grading, so a bad path costs nothing:
 * - a regular file (new or existing) is replaced atomically: written to FILE.partial beside it, then
 *   renamed over it, keeping an existing file's permissions;
 * - a symbolic link is followed: the file it points to is replaced, the link stays a link;
 * - a character device or a named pipe (/dev/null, /dev/stdout, a FIFO) is written through, never
 *   replaced (renaming over /dev/null as root would turn the device into a file of results);
 * - a directory, a block device or a socket is refused with a one-line message.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { access, chmod, constants, lstat, open, readlink, rename, stat, unlink } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Writable } from "node:stream";
import { printable } from "../core/control-chars.js";
import { CliError, EXIT } from "./context.js";

export interface OutputTarget {
  /** The path as given (for messages). */
  given: string;
  /** Where the bytes go: the final file after following links. */
  path: string;
  /** "replace": temporary file + rename; "through": open and write (devices, pipes). */
  how: "replace" | "through";
  /** Permissions of the file being replaced, kept on the new one. */
  mode: number | null;
}

const shown = (p: string) => printable(p, { maxLength: 200 });

/** Follow symbolic links (a dangling one included) to the path that will really be written. */
async function followLinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(current).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return null;
      throw err;
    });
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" });
}

/** A one-line reason for a failed write or open, from the error code. */
export function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOENT: "no such file or folder",
    ENOTDIR: "a part of the path is not a folder",
    EISDIR: "it is a folder",
    EPIPE: "the reading end was closed",
    ELOOP: "too many levels of symbolic links",
    EIO: "input/output error",
  };
  const why = (e?.code && reasons[e.code]) ?? (e instanceof Error ? e.message : String(err));
  return e?.code ? `${why} (${e.code})` : why;
}

/**
 * Check that `given` can be written, before any work: refuse what it must not replace, and prove a
 * file can be created beside the target. `flag` names the option in messages; `protectedPaths`
 * (the input file, the database) may not be the target.
 */
export async function prepareOutput(given: string, flag: string, protectedPaths: readonly string[] = []): Promise<OutputTarget> {
  const fail = (why: string, code: number = EXIT.io) => new CliError(`cannot write ${flag} ${shown(given)}: ${why}`, code);
  // stat follows links the kernel's way, so /dev/stdout on a pipe is seen as the pipe it is.
  const info = await stat(given).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : Promise.reject(err))).catch((err) => {
    throw fail(ioReason(err));
  });
  if (info?.isDirectory()) throw fail("it is a folder; give a file name, e.g. results.jsonl", EXIT.usage);
  if (info && (info.isCharacterDevice() || info.isFIFO())) {
    await access(given, constants.W_OK).catch((err) => {
      throw fail(ioReason(err));
    });
    return { given, path: given, how: "through", mode: null };
  }
  if (info && !info.isFile()) throw fail(`it is a ${info.isSocket() ? "socket" : "block device"}; give a regular file, /dev/null or a pipe`, EXIT.usage);
  // A regular file, or none yet: find the file a link points to, which is what gets replaced.
  let path: string;
  try {
    path = await followLinks(given);
  } catch (err) {
    throw fail(ioReason(err));
  }
  for (const p of protectedPaths) {
    if ((await followLinks(p).catch(() => resolve(p))) === path) throw fail("that is the input file or the database; choose another file name", EXIT.usage);
  }
  // Prove the folder takes a new file (exists, writable, not read-only, not full of inodes).
  const probe = `${path}.partial`;
  try {
    await (await open(probe, "w")).close();
    await unlink(probe);
  } catch (err) {
    throw fail(ioReason(err));
  }
  return { given, path, how: "replace", mode: info ? info.mode & 0o7777 : null };
}

/** Resolves once `target` takes more data, or is closed or failed (the caller then sees the error). */
function writable(target: Writable): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      for (const event of ["drain", "close", "error"]) target.off(event, finish);
      done();
    };
    for (const event of ["drain", "close", "error"]) target.on(event, finish);
  });
}

/** Text shown on a terminal: control characters in the answers' text become visible escapes. */
async function* forTerminal(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const chunk of chunks) yield printable(chunk, { keepNewlines: true });
}

/** Write `what` to standard output, made inert on a terminal; a failed write ends the command with exit 74. */
export async function writeToStdout(stdout: Writable & { isTTY?: boolean }, chunks: AsyncIterable<string>, what: string): Promise<void> {
  await writeChunks(stdout, stdout.isTTY ? forTerminal(chunks) : chunks).catch((err: unknown) => {
    throw new CliError(`cannot write ${what} to standard output: ${ioReason(err)}`, EXIT.io);
  });
}

/** One text (or the promise of one) as the chunk stream the writers below take. */
export async function* oneChunk(text: string | Promise<string>): AsyncGenerator<string> {
  yield await text;
}

/**
 * Write every chunk to `target`, waiting when it is full. A failed write (a full disk, a closed pipe,
 * /dev/full) rejects with that error instead of being emitted where nothing listens.
 */
export async function writeChunks(target: Writable, chunks: AsyncIterable<string>): Promise<void> {
  let failed: Error | null = null;
  const onError = (err: Error) => {
    failed ??= err;
  };
  // Stays attached: a late error on a stream we no longer write to must not crash the process.
  target.on("error", onError);
  for await (const chunk of chunks) {
    if (failed || target.destroyed) break;
    if (!target.write(chunk)) await writable(target);
  }
  // Write callbacks run in order: once this empty write is through, every earlier chunk is too.
  if (!failed && !target.destroyed) {
    await new Promise<void>((done) =>
      target.write("", (err) => {
        if (err) failed ??= err;
        done();
      }),
    );
  }
  if (failed) throw failed;
  if (target.destroyed && !target.writableFinished) throw Object.assign(new Error("the output was closed"), { code: "EPIPE" });
}

/** Write the chunks to an output target: replaced atomically, or written through. */
export async function writeOutput(target: OutputTarget, chunks: AsyncIterable<string>): Promise<void> {
  const dest = target.how === "replace" ? `${target.path}.partial` : target.path;
  const file = createWriteStream(dest, target.mode === null ? {} : { mode: target.mode });
  try {
    await writeChunks(file, chunks);
    file.end();
    await once(file, "close");
    if (target.how === "replace") {
      if (target.mode !== null) await chmod(dest, target.mode);
      await rename(dest, target.path);
    }
  } catch (err) {
    file.destroy();
    if (target.how === "replace") await unlink(dest).catch(() => undefined);
    throw new CliError(`cannot write ${shown(target.given)}: ${ioReason(err)}`, EXIT.io);
  }
}
