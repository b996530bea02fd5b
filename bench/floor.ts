/**
 * The framework floor for `npm run bench:all`: a bare Hono app on @hono/node-server that parses the
 * JSON body of POST /v1/grade and echoes it back, nothing else. Prints its URL, then serves until
 * killed. Run by Node itself (type stripping), so it imports nothing from src/.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/v1/grade", async (c) => c.json(await c.req.json()));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => process.stdout.write(`http://127.0.0.1:${info.port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
