/** The shared API contract against the Node entry's own adapters (createNodeDeps) on a loopback port. */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "../src/config.js";
import { createApp } from "../src/http/app.js";
import type { AppDeps } from "../src/http/context.js";
import { createNodeDeps } from "../src/node-deps.js";
import { defineApiContract, type ContractTarget } from "./api-contract.js";
import { tempDbFile } from "./support/app.js";
import { startOpenAiServer } from "./support/openai-server.js";

let target: ContractTarget;
let server: ServerType;
let deps: AppDeps;

beforeAll(async () => {
  const model = await startOpenAiServer();
  const config = loadConfig({ STARCOACH_DB: tempDbFile(), OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseURL, STARCOACH_MODEL_RETRIES: "0", STARCOACH_LOG: "off" });
  deps = await createNodeDeps(config);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  target = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, model };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await deps.store.close();
  await target.model.close();
});

defineApiContract("Node", () => target);
