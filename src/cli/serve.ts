/** `starcoach serve`: the web app and the HTTP API (what `npm start` runs), until SIGINT or SIGTERM. */
import { Command, InvalidArgumentError } from "commander";
import { ListenError, startServer } from "../node.js";
import { CliError, type CliIO } from "./context.js";

function port(value: string): string {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535 (0: any free port)");
  return String(n);
}

export function registerServe(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("serve")
    .description("Serve the web form and the API (configuration from the environment: see the README).")
    .option("-p, --port <port>", "port to listen on (overrides PORT; default 8787)", port)
    .option("--host <address>", "address to listen on (overrides HOST; default 127.0.0.1)")
    .action(async (flags: { port?: string; host?: string }) => {
      const env = { ...io.env, ...(flags.port ? { PORT: flags.port } : {}), ...(flags.host ? { HOST: flags.host } : {}) };
      try {
        const { stopped } = await startServer(env);
        setExit(await stopped);
      } catch (err) {
        if (err instanceof ListenError) throw new CliError(err.message);
        throw err;
      }
    });
}
