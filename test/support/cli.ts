/** Run the starcoach CLI in-process with captured standard streams. */
import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli/main.js";

export async function runCli(argv: string[], options: { env?: Record<string, string | undefined>; stdin?: string; /** stdout claims to be a terminal */ tty?: boolean } = {}) {
  const stdout = Object.assign(new PassThrough(), options.tty ? { isTTY: true } : {});
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  const code = await main(argv, {
    stdin: Readable.from([Buffer.from(options.stdin ?? "")]),
    stdout,
    stderr,
    env: { OPENAI_API_KEY: undefined, ...options.env },
  });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

export const jsonLines = (text: string) => text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { id: string; feedback?: any; error?: { code: string; message: string } });
